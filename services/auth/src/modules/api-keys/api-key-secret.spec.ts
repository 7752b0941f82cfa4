import { describe, expect, it } from 'vitest';
import { apiKeyPrefix, hashApiKey, newApiKey, sameHash } from './api-key-secret';

describe('API key secrets', () => {
  it('makes pk_<prefix>_<secret> keys whose hash, not the key, is stored', () => {
    const a = newApiKey();
    expect(a.key).toMatch(/^pk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(a.key.startsWith(`pk_${a.prefix}_`)).toBe(true);
    expect(sameHash(a.hash, hashApiKey(a.key))).toBe(true);
    expect(newApiKey().key).not.toBe(a.key);
  });

  it('reads the prefix of well-formed keys only', () => {
    const { key, prefix } = newApiKey();
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(apiKeyPrefix(`${key}x`)).toBeNull();
    expect(apiKeyPrefix(key.replace('pk_', 'sk_'))).toBeNull();
    expect(apiKeyPrefix('pk_ABCDEFGH_' + 'a'.repeat(43))).toBeNull();
    expect(apiKeyPrefix('')).toBeNull();
  });

  it('tells a secret that differs in one character apart', () => {
    const { key } = newApiKey();
    const other = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(sameHash(hashApiKey(key), hashApiKey(other))).toBe(false);
    expect(sameHash(hashApiKey(key), Buffer.alloc(31))).toBe(false);
  });
});
