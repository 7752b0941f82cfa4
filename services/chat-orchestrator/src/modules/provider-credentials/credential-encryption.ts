import { KeyEncryption, keyEncryptionKey, type AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/**
 * Tenants' provider API keys sealed with AES-256-GCM under CHAT_KEY_ENCRYPTION_KEY (the shared
 * `KeyEncryption` envelope); the associated data is the `provider_credentials` row id, so a key
 * copied onto another row does not decrypt. Keys go in and come out as text.
 */
export class CredentialEncryption {
  private readonly keys: KeyEncryption;

  constructor(kek: Buffer) {
    this.keys = new KeyEncryption(kek);
  }

  encrypt(plaintext: string, associatedData: string): Buffer {
    return this.keys.encrypt(Buffer.from(plaintext, 'utf8'), associatedData);
  }

  /** Throws when the envelope was altered, belongs to another row or was sealed under another key. */
  decrypt(envelope: Buffer, associatedData: string): string {
    return this.keys.decrypt(envelope, associatedData).toString('utf8');
  }
}

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
