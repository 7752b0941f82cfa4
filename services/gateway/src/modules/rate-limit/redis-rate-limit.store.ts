import type { Redis } from 'ioredis';
import type { Bucket, BucketState } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';

/**
 * Sliding-window log over sorted sets, as a Lua function both scripts share, on Redis' clock (so
 * every gateway replica shares one time): `slide(keys, window, member, limits)` with the bucket
 * keys, the window in ms, a unique member for this request and the limits in key order. A request
 * is recorded in every bucket only if all have room; a refused one is not recorded, so a set never
 * holds more than its limit. Returns {allowed, count1, limit1, resetMs1, count2, …}.
 */
export const SLIDING_WINDOW_FUNCTION = `
local function slide(keys, window, member, limits)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local allowed = 1
  local out = {0}
  for i, key in ipairs(keys) do
    local limit = tonumber(limits[i])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local count = redis.call('ZCARD', key)
    local reset = window
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if oldest[2] then reset = tonumber(oldest[2]) + window - now end
    if count >= limit then allowed = 0 end
    out[3 * i - 1] = count
    out[3 * i] = limit
    out[3 * i + 1] = reset
  end
  if allowed == 1 then
    for i, key in ipairs(keys) do
      redis.call('ZADD', key, now, member)
      redis.call('PEXPIRE', key, window)
      out[3 * i - 1] = out[3 * i - 1] + 1
    end
  end
  out[1] = allowed
  return out
end
`;

/** The sliding window alone, all buckets in one atomic script. KEYS: the buckets. ARGV: window ms, member, limits. */
export const SLIDING_WINDOW_SCRIPT = `${SLIDING_WINDOW_FUNCTION}
local limits = {}
for i = 3, #ARGV do limits[#limits + 1] = ARGV[i] end
return slide(KEYS, tonumber(ARGV[1]), ARGV[2], limits)
`;

/** The bucket states of a sliding-window reply, read from `offset` (where its `allowed` flag is). */
export function bucketStates(reply: readonly unknown[], offset: number, count: number): BucketState[] {
  return Array.from({ length: count }, (_, i) => ({
    count: Number(reply[offset + 3 * i + 1]),
    limit: Number(reply[offset + 3 * i + 2]),
    resetMs: Number(reply[offset + 3 * i + 3]),
  }));
}

interface WithScript {
  parleySlidingWindow(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
}

/** The shared limiter: every gateway replica counts in the same Redis keys. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(private readonly redis: Redis) {
    if (!('parleySlidingWindow' in redis)) redis.defineCommand('parleySlidingWindow', { lua: SLIDING_WINDOW_SCRIPT });
  }

  async consume(
    buckets: readonly Bucket[],
    windowMs: number,
    member: string,
  ): Promise<{ allowed: boolean; states: BucketState[] }> {
    const reply = await (this.redis as unknown as WithScript).parleySlidingWindow(
      buckets.length,
      ...buckets.map((b) => b.key),
      windowMs,
      member,
      ...buckets.map((b) => b.limit),
    );
    return { allowed: reply[0] === 1, states: bucketStates(reply, 0, buckets.length) };
  }
}
