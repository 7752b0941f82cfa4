import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-rate-limit.store';

describe('MemoryRateLimitStore (the Redis fallback)', () => {
  const buckets = [
    { key: 't:tenant', limit: 3 },
    { key: 't:user', limit: 2 },
  ];

  it('admits while every bucket has room, records only admitted requests, and slides', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now);
    const allowed = async () => (await store.consume(buckets, 1000)).allowed;
    expect([await allowed(), await allowed(), await allowed()]).toEqual([true, true, false]);
    now += 500;
    expect(await store.consume([{ key: 't:tenant', limit: 3 }], 1000)).toMatchObject({
      allowed: true,
      states: [{ count: 3, limit: 3, resetMs: 500 }],
    });
    expect(await allowed()).toBe(false);
    now += 501; // the first two left the window
    expect(await allowed()).toBe(true);
  });

  it('keeps at most maxKeys keys, dropping the least recently used', async () => {
    const store = new MemoryRateLimitStore(() => 0, 3);
    for (const key of ['a', 'b', 'c', 'a', 'd']) await store.consume([{ key, limit: 10 }], 1000);
    expect(store.size).toBe(3);
    expect((await store.consume([{ key: 'a', limit: 10 }], 1000)).states[0]?.count).toBe(3);
    expect((await store.consume([{ key: 'b', limit: 10 }], 1000)).states[0]?.count).toBe(1);
  });
});
