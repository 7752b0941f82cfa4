import { Redis } from 'ioredis';
import { closedLoop, parseHistogram, summarize, type HistogramSnapshot, type LatencyStats } from '@parley/testing';

/** The gateway's histogram of one rate-limit check (RateLimiter: around the store call). */
export const CHECK_HISTOGRAM = 'rate_limit_check_duration_seconds';

/**
 * The rate-limit check as the gateway itself runs it, measured in the gateway: `GET /api/v1/me`
 * (authentication and the Redis rate limit, nothing behind) at 1 and 10 requests in flight, and the
 * gateway's own `rate_limit_check_duration_seconds{store="redis"}` histogram read from its
 * /metrics before and after each run. The difference is the distribution of the checks made during
 * that run: quantiles are interpolated within buckets (as Prometheus' histogram_quantile does), the
 * max is the upper bound of the highest bucket reached, the rate is the run's requests per second.
 * Next to it, a bare PING from the bench on its own connection (the floor of a Redis round trip).
 */
export async function benchRateLimitCheck(options: {
  gatewayUrl: string;
  redisUrl: string;
  total: number;
  /** One authenticated `GET /api/v1/me` through the gateway. */
  request: () => Promise<void>;
}): Promise<{ client: Record<string, LatencyStats>; serverUsecPerCall: number }> {
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: true });
  const results: Record<string, LatencyStats> = {};
  let serverUsecPerCall = NaN;
  try {
    const before = await scriptStats(redis);
    for (const inFlight of [1, 10]) {
      await closedLoop(500, inFlight, options.request, 30_000);
      const start = await checkHistogram(options.gatewayUrl);
      const { latencies, elapsedMs } = await closedLoop(options.total, inFlight, options.request, 60_000);
      const end = await checkHistogram(options.gatewayUrl);
      const name = `rate-limit check (Lua, 2 buckets) @${inFlight}`;
      results[name] = fromHistogram(start, end, latencies.length, elapsedMs);
      process.stdout.write(`${name}: ${JSON.stringify(results[name])}\n`);
    }
    const after = await scriptStats(redis);
    serverUsecPerCall = Math.round(((after.usec - before.usec) / Math.max(1, after.calls - before.calls)) * 10) / 10;
    const ping = async () => {
      await redis.ping();
    };
    for (const inFlight of [1, 10]) {
      await closedLoop(500, inFlight, ping, 30_000);
      const { latencies, elapsedMs } = await closedLoop(options.total, inFlight, ping, 60_000);
      const name = `redis PING (floor) @${inFlight}`;
      results[name] = summarize(latencies, elapsedMs);
      process.stdout.write(`${name}: ${JSON.stringify(results[name])}\n`);
    }
  } finally {
    redis.disconnect();
  }
  return { client: results, serverUsecPerCall };
}

/** The gateway's check histogram for the Redis store, from its /metrics. */
export async function checkHistogram(gatewayUrl: string): Promise<HistogramSnapshot> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  return parseHistogram(text, CHECK_HISTOGRAM, 'store="redis"');
}

/** The checks between two snapshots as LatencyStats (ms): quantiles interpolated within buckets. */
export function fromHistogram(
  start: HistogramSnapshot,
  end: HistogramSnapshot,
  requests: number,
  elapsedMs: number,
): LatencyStats {
  const bounds = [...end.buckets.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((le) => (end.buckets.get(le) ?? 0) - (start.buckets.get(le) ?? 0));
  const count = end.count - start.count;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const quantile = (q: number): number => {
    if (count <= 0) return NaN;
    const rank = q * count;
    for (let i = 0; i < bounds.length; i++) {
      const upTo = cumulative[i] ?? 0;
      if (upTo < rank) continue;
      const upper = bounds[i] ?? Infinity;
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      if (upper === Infinity) return lower * 1000; // as histogram_quantile: the highest finite bound
      const below = i === 0 ? 0 : (cumulative[i - 1] ?? 0);
      const inBucket = upTo - below;
      return (lower + (upper - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
    }
    return NaN;
  };
  const highest = bounds.find((_, i) => (cumulative[i] ?? 0) >= count && count > 0);
  return {
    count,
    p50Ms: round(quantile(0.5)),
    p90Ms: round(quantile(0.9)),
    p99Ms: round(quantile(0.99)),
    maxMs: highest === undefined || highest === Infinity ? NaN : round(highest * 1000),
    meanMs: count > 0 ? round(((end.sum - start.sum) / count) * 1000) : NaN,
    throughputPerSec: Math.round((requests / elapsedMs) * 1000),
  };
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
