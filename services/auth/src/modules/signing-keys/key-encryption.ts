import { KeyEncryption, keyEncryptionKey, type AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

export { KeyEncryption };

/**
 * The signing keys' sealer under AUTH_KEY_ENCRYPTION_KEY. Without one (development and test only)
 * a fixed development key is used, with a warning.
 */
export function keyEncryptionFor(config: AppConfig, logger: Logger): KeyEncryption {
  return new KeyEncryption(
    keyEncryptionKey({
      configured: config.auth?.keyEncryptionKey ?? null,
      nodeEnv: config.nodeEnv,
      variable: 'AUTH_KEY_ENCRYPTION_KEY',
      sealing: 'signing keys',
      developmentSeed: 'parley development key-encryption key',
      warn: (message) => logger.warn(message),
    }),
  );
}
