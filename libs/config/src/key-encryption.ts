import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM under a key-encryption key from configuration (AUTH_KEY_ENCRYPTION_KEY for the
 * token-signing keys, CHAT_KEY_ENCRYPTION_KEY for tenants' provider keys). The envelope is
 * `version (1) | iv (12) | tag (16) | ciphertext`; the associated data (the row's id) binds a
 * ciphertext to its row, so a secret copied onto another row does not decrypt.
 */
export class KeyEncryption {
  constructor(private readonly kek: Buffer) {
    if (kek.length !== 32) throw new Error('The key-encryption key must be 32 bytes');
  }

  encrypt(plaintext: Buffer, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the envelope was altered, belongs to another row or was sealed under another key. */
  decrypt(envelope: Buffer, associatedData: string): Buffer {
    if (envelope.length <= HEADER_BYTES || envelope[0] !== VERSION) {
      throw new Error('Unknown encrypted key format');
    }
    const iv = envelope.subarray(1, 1 + IV_BYTES);
    const tag = envelope.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.kek, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(envelope.subarray(HEADER_BYTES)), decipher.final()]);
  }
}

/**
 * Text secrets (tenants' API keys) sealed with KeyEncryption under one key-encryption key, bound to
 * their row (the row id as associated data): they go in and come out as text.
 */
export class TextKeyEncryption {
  private readonly keys: KeyEncryption;

  constructor(kek: Buffer) {
    this.keys = new KeyEncryption(kek);
  }

  encrypt(plaintext: string, rowId: string): Buffer {
    return this.keys.encrypt(Buffer.from(plaintext, 'utf8'), rowId);
  }

  /** Throws when the envelope was altered, belongs to another row or was sealed under another key. */
  decrypt(envelope: Buffer, rowId: string): string {
    return this.keys.decrypt(envelope, rowId).toString('utf8');
  }
}

/**
 * The key-encryption key to use: the configured one, or (development and test only: configuration
 * validation requires it in production) a fixed, public development key derived from
 * `developmentSeed`, with a warning that names the variable and what it seals.
 */
export function keyEncryptionKey(options: {
  configured: Buffer | null;
  nodeEnv: 'development' | 'test' | 'production';
  variable: string;
  sealing: string;
  developmentSeed: string;
  warn: (message: string) => void;
}): Buffer {
  if (options.configured) return options.configured;
  if (options.nodeEnv === 'production') {
    throw new Error(`${options.variable} is required when NODE_ENV is production`);
  }
  options.warn(
    `${options.variable} is not set: ${options.sealing} are encrypted with a fixed development key. ` +
      'Set it (openssl rand -base64 32) anywhere but a development machine.',
  );
  return createHash('sha256').update(options.developmentSeed).digest();
}
/** Keys shorter than this get no characters in their hint: four of them would give too much away. */
const MIN_LENGTH_FOR_HINT = 12;

/** `…` and the key's last four characters, enough to tell keys apart and never enough to use one. */
export function keyHint(apiKey: string): string {
  return apiKey.length >= MIN_LENGTH_FOR_HINT ? `…${apiKey.slice(-4)}` : '…';
}
