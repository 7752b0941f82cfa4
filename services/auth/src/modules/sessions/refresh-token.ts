import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'prt_';
/** `prt_` + base64url of 32 random bytes (43 characters, no padding). */
const FORMAT = /^prt_[A-Za-z0-9_-]{43}$/;

/** A new opaque refresh token and the sha256 under which it is stored (the token itself never is). */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashRefreshToken(token) };
}

export function isRefreshTokenFormat(value: string): boolean {
  return FORMAT.test(value);
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
