import { describe, expect, it } from 'vitest';
import { isOpaqueToken, newOpaqueToken, sha256 } from './opaque-token';

describe('opaque tokens', () => {
  it('makes prefixed 256-bit tokens stored only as their sha256', () => {
    const a = newOpaqueToken('pinv_');
    const b = newOpaqueToken('pinv_');
    expect(a.token).toMatch(/^pinv_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash.equals(sha256(a.token))).toBe(true);
    expect(a.hash).toHaveLength(32);
  });

  it('recognises only its own shape', () => {
    const { token } = newOpaqueToken('prst_');
    expect(isOpaqueToken('prst_', token)).toBe(true);
    expect(isOpaqueToken('pinv_', token)).toBe(false);
    expect(isOpaqueToken('prst_', `${token}x`)).toBe(false);
    expect(isOpaqueToken('prst_', token.slice(0, -1) + '!')).toBe(false);
    expect(isOpaqueToken('prst_', '')).toBe(false);
  });
});
