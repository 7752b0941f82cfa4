import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, isRefreshTokenFormat, newRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  it('are prt_ + 32 random bytes in base64url, stored as their sha256', () => {
    const { token, hash } = newRefreshToken();
    expect(token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(hashRefreshToken(token).equals(hash)).toBe(true);
    expect(isRefreshTokenFormat(token)).toBe(true);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newRefreshToken().token));
    expect(tokens.size).toBe(1000);
  });

  it.each(['', 'prt_', 'prt_short', `xyz_${'a'.repeat(43)}`, `prt_${'a'.repeat(44)}`, `prt_${'a'.repeat(42)}=`])(
    'refuses %j as a refresh token',
    (value) => expect(isRefreshTokenFormat(value)).toBe(false),
  );
});
