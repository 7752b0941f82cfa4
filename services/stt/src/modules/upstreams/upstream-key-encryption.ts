import { keyEncryptionKey, TextKeyEncryption, type AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/**
 * Tenants' speech upstream keys sealed with AES-256-GCM under STT_KEY_ENCRYPTION_KEY (the shared
 * `TextKeyEncryption`, as chat's provider keys); the associated data is the `stt_upstreams` row id,
 * so a key copied onto another row does not decrypt.
 */
export class UpstreamKeyEncryption extends TextKeyEncryption {}

/** The configured key-encryption key; without one (development and test only) a fixed development key, with a warning. */
export function upstreamKeyEncryptionFor(config: AppConfig, logger: Logger): UpstreamKeyEncryption {
  return new UpstreamKeyEncryption(
    keyEncryptionKey({
      configured: config.stt?.keyEncryptionKey ?? null,
      nodeEnv: config.nodeEnv,
      variable: 'STT_KEY_ENCRYPTION_KEY',
      sealing: 'tenant speech upstream keys',
      developmentSeed: 'parley development stt key-encryption key',
      warn: (message) => logger.warn(message),
    }),
  );
}
