import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { closedLoop, summarize, type LatencyStats } from '@parley/testing';

interface Bucket {
  key: string;
  limit: number;
}
interface RateLimitStore {
  consume(buckets: Bucket[], windowMs: number, member: string): Promise<{ allowed: boolean }>;
}

/**
 * The gateway's own rate-limit store, loaded from its build output (one copy of the Lua script: the
 * bench measures exactly what the gateway runs), against the real Redis: p50/p99 of one check of a
 * tenant and a principal bucket, next to a bare PING on the same connection (the floor).
 */
export async function benchRateLimitCheck(
  redisUrl: string,
  total: number,
): Promise<{ client: Record<string, LatencyStats>; serverUsecPerCall: number }> {
  const load = createRequire(__filename);
  const gatewayStore = resolve(
    __dirname,
    '../../../services/gateway/dist/modules/rate-limit/redis-rate-limit.store.js',
  );
  const { RedisRateLimitStore } = load(gatewayStore) as { RedisRateLimitStore: new (redis: Redis) => RateLimitStore };
  const redis = new Redis(redisUrl, { enableOfflineQueue: true });
  const store = new RedisRateLimitStore(redis);
  const tenant = randomUUID();
  const buckets = [
    { key: `${tenant}:ratelimit:tenant`, limit: 1_000_000 },
    { key: `${tenant}:ratelimit:user:bench`, limit: 1_000_000 },
  ];
  const results: Record<string, LatencyStats> = {};
  let serverUsecPerCall = NaN;
  try {
    const before = await scriptStats(redis);
    const check = async () => {
      await store.consume(buckets, 60_000, randomUUID());
    };
    const ping = async () => {
      await redis.ping();
    };
    for (const [name, op] of [
      ['rate-limit check (Lua, 2 buckets)', check],
      ['redis PING (floor)', ping],
    ] as const) {
      for (const inFlight of [1, 10]) {
        await closedLoop(500, inFlight, op, 30_000);
        const { latencies, elapsedMs } = await closedLoop(total, inFlight, op, 60_000);
        results[`${name} @${inFlight}`] = summarize(latencies, elapsedMs);
        process.stdout.write(`${name} @${inFlight}: ${JSON.stringify(results[`${name} @${inFlight}`])}\n`);
      }
      if (op === check) {
        const after = await scriptStats(redis);
        serverUsecPerCall =
          Math.round(((after.usec - before.usec) / Math.max(1, after.calls - before.calls)) * 10) / 10;
      }
    }
    await redis.del(...buckets.map((b) => b.key));
  } finally {
    redis.disconnect();
  }
  return { client: results, serverUsecPerCall };
}

/** Redis' own count and time of script calls (INFO commandstats): the check's cost inside Redis. */
async function scriptStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const match of info.matchAll(/^cmdstat_eval(?:sha)?:calls=(\d+),usec=(\d+)/gm)) {
    calls += Number(match[1]);
    usec += Number(match[2]);
  }
  return { calls, usec };
}
