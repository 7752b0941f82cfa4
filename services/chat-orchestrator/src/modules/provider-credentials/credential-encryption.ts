import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM under the key-encryption key (CHAT_KEY_ENCRYPTION_KEY) for the tenants' provider API
 * keys. The envelope is `version (1) | iv (12) | tag (16) | ciphertext`; the associated data (the
 * `provider_credentials` row id) binds a ciphertext to its row, so a key copied onto another row
 * does not decrypt.
 */
export class CredentialEncryption {
  constructor(private readonly kek: Buffer) {
    if (kek.length !== 32) throw new Error('The key-encryption key must be 32 bytes');
  }

  encrypt(plaintext: string, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the envelope was altered, belongs to another row or was sealed under another key. */
  decrypt(envelope: Buffer, associatedData: string): string {
    if (envelope.length <= HEADER_BYTES || envelope[0] !== VERSION) {
      throw new Error('Unknown encrypted key format');
    }
    const iv = envelope.subarray(1, 1 + IV_BYTES);
    const tag = envelope.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.kek, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(envelope.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Fixed and public: it only keeps development databases from holding plaintext keys. */
const DEVELOPMENT_KEK = createHash('sha256').update('parley development chat key-encryption key').digest();

/**
 * The configured key-encryption key. Without one (development and test only: configuration
 * validation requires it in production) a fixed development key is used, with a warning.
 */
export function credentialEncryptionFor(config: AppConfig, logger: Logger): CredentialEncryption {
  const kek = config.chat?.keyEncryptionKey ?? null;
  if (kek) return new CredentialEncryption(kek);
  if (config.nodeEnv === 'production') {
    throw new Error('CHAT_KEY_ENCRYPTION_KEY is required when NODE_ENV is production');
  }
  logger.warn(
    'CHAT_KEY_ENCRYPTION_KEY is not set: tenant provider keys are encrypted with a fixed development key. ' +
      'Set it (openssl rand -base64 32) anywhere but a development machine.',
  );
  return new CredentialEncryption(DEVELOPMENT_KEK);
}
