import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal';
import { decide, quotaForClient, quotaForPrincipal } from './rate-limit.policy';

const config = {
  windowSeconds: 60,
  tenantPerWindow: { free: 120, pro: 1200, enterprise: 12_000 },
  principalPerWindow: { free: 60, pro: 600, enterprise: 6000 },
};
const principal: Principal = {
  kind: 'user',
  tenantId: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  userId: 'user:1*',
  role: 'member',
  plan: 'pro',
  sessionId: 's',
};

describe('rate-limit policy', () => {
  it('counts a principal against its tenant and itself, by plan, in keys that start with the tenant id', () => {
    expect(quotaForPrincipal(principal, config)).toEqual({
      windowMs: 60_000,
      buckets: [
        { key: `${principal.tenantId}:ratelimit:tenant`, limit: 1200 },
        { key: `${principal.tenantId}:ratelimit:user:user%3A1*`, limit: 600 },
      ],
    });
  });

  it('counts an API key against its own bucket, by key id', () => {
    const key: Principal = { ...principal, kind: 'api-key', userId: null, sessionId: null, apiKeyId: 'key-9' };
    expect(quotaForPrincipal(key, config).buckets[1]).toEqual({
      key: `${principal.tenantId}:ratelimit:api-key:key-9`,
      limit: 600,
    });
  });

  it('refuses to build a key for a tenant id that is not a UUID', () => {
    expect(() => quotaForPrincipal({ ...principal, tenantId: 'x:*' }, config)).toThrow();
  });

  it('counts a public call against the client address at the free per-principal limit', () => {
    expect(quotaForClient('203.0.113.7', config).buckets).toEqual([
      { key: 'platform:ratelimit:ip:203.0.113.7', limit: 60 },
    ]);
  });

  it('reports the bucket with the least room and, when refused, the wait until every full bucket frees a slot', () => {
    const tenant = { count: 120, limit: 120, resetMs: 30_500 };
    const user = { count: 10, limit: 60, resetMs: 59_000 };
    expect(decide(false, [tenant, user])).toEqual({
      allowed: false,
      limit: 120,
      remaining: 0,
      resetSeconds: 31,
      retryAfterSeconds: 31,
    });
    expect(
      decide(true, [
        { count: 3, limit: 120, resetMs: 1000 },
        { count: 3, limit: 5, resetMs: 2000 },
      ]),
    ).toEqual({
      allowed: true,
      limit: 5,
      remaining: 2,
      resetSeconds: 2,
      retryAfterSeconds: 0,
    });
  });

  it('never tells a refused client to retry in 0 seconds', () => {
    expect(decide(false, [{ count: 5, limit: 5, resetMs: 0 }]).retryAfterSeconds).toBe(1);
  });
});
