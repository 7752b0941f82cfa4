import { createHash, randomBytes } from 'node:crypto';

/** `<prefix>` + base64url of 32 random bytes (43 characters, no padding). */
const SECRET = '[A-Za-z0-9_-]{43}';

/** A new single-use token with its prefix, and the sha256 under which it is stored (never the token). */
export function newOpaqueToken(prefix: string): { token: string; hash: Buffer } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}

/** Whether a value has the shape of a token made by newOpaqueToken(prefix). */
export function isOpaqueToken(prefix: string, value: string): boolean {
  return value.length === prefix.length + 43 && new RegExp(`^${prefix}${SECRET}$`).test(value);
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
