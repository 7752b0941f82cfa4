import { keyEncryptionKey, TextKeyEncryption, type AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/**
 * Tenants' provider API keys sealed with AES-256-GCM under CHAT_KEY_ENCRYPTION_KEY (the shared
 * `TextKeyEncryption`); the associated data is the `provider_credentials` row id, so a key copied
 * onto another row does not decrypt.
 */
export class CredentialEncryption extends TextKeyEncryption {}

/**
 * The configured key-encryption key. Without one (development and test only) a fixed development
 * key is used, with a warning.
 */
export function credentialEncryptionFor(config: AppConfig, logger: Logger): CredentialEncryption {
  return new CredentialEncryption(
    keyEncryptionKey({
      configured: config.chat?.keyEncryptionKey ?? null,
      nodeEnv: config.nodeEnv,
      variable: 'CHAT_KEY_ENCRYPTION_KEY',
      sealing: 'tenant provider keys',
      developmentSeed: 'parley development chat key-encryption key',
      warn: (message) => logger.warn(message),
    }),
  );
}
