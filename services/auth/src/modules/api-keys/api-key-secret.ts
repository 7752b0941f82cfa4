import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** `pk_` + 8-character public prefix + `_` + base64url of 32 random bytes (43 characters). */
const FORMAT = /^pk_([a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** The whole key: shown once, at creation, never stored. */
  key: string;
  /** Public and indexed: finds the row; the secret part is compared only as a hash. */
  prefix: string;
  hash: Buffer;
}

export function newApiKey(): NewApiKey {
  const prefix = Array.from({ length: 8 }, () => PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)]).join('');
  const key = `pk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The public prefix of a well-formed key; null for anything else. */
export function apiKeyPrefix(value: string): string | null {
  return FORMAT.exec(value)?.[1] ?? null;
}

/** sha256 of the whole key: the key has 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
