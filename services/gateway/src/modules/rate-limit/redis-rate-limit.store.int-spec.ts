import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra } from '@parley/testing';
import { RedisRateLimitStore } from './redis-rate-limit.store';

describe('the sliding-window Lua script on the real Redis', () => {
  let redis: Redis;
  let store: RedisRateLimitStore;

  beforeAll(() => {
    redis = new Redis(infra().REDIS_URL);
    store = new RedisRateLimitStore(redis);
  });

  afterAll(() => {
    redis?.disconnect();
  });

  it('admits exactly the limit of 4× as many concurrent calls, in both buckets, atomically', async () => {
    const tenant = `${randomUUID()}:ratelimit:tenant`;
    const user = `${randomUUID()}:ratelimit:user:u`;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        store.consume(
          [
            { key: tenant, limit: 50 },
            { key: user, limit: 1000 },
          ],
          60_000,
          randomUUID(),
        ),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    expect(await redis.zcard(tenant)).toBe(50);
    expect(await redis.zcard(user)).toBe(50);
    expect(await redis.pttl(tenant)).toBeGreaterThan(59_000);
  });

  it('frees slots as the window slides and reports when the oldest leaves', async () => {
    const key = `${randomUUID()}:ratelimit:tenant`;
    const take = () => store.consume([{ key, limit: 2 }], 400, randomUUID());
    expect((await take()).allowed).toBe(true);
    expect((await take()).allowed).toBe(true);
    const refused = await take();
    expect(refused.allowed).toBe(false);
    expect(refused.states[0]?.count).toBe(2);
    expect(refused.states[0]?.resetMs).toBeGreaterThan(0);
    expect(refused.states[0]?.resetMs).toBeLessThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 450));
    expect((await take()).allowed).toBe(true);
  });
});
