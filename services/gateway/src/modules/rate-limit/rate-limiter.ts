import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HealthRegistry, Logger } from '@parley/observability';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { decide, type Quota, type RateLimitDecision } from './rate-limit.policy';
import type { RateLimitMetrics } from './rate-limit.metrics';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Checks a quota in Redis, shared by every replica. While Redis is unreachable (the connection is
 * not ready, or a call fails or times out) it falls back to the in-process limiter with the same
 * limits, says so in the `rate_limit_fallback_active` gauge and a `degraded` readiness check (the
 * gateway stays ready), and returns to Redis as soon as the connection is ready again.
 */
export class RateLimiter {
  private readonly redisStore: RedisRateLimitStore;
  private readonly memoryStore = new MemoryRateLimitStore();
  private fallback = false;

  constructor(
    private readonly redis: Redis,
    private readonly metrics: RateLimitMetrics,
    private readonly logger: Logger,
  ) {
    this.redisStore = new RedisRateLimitStore(redis);
  }

  get fallbackActive(): boolean {
    return this.fallback;
  }

  async consume(quota: Quota): Promise<RateLimitDecision> {
    const started = performance.now();
    let store: 'redis' | 'memory' = 'redis';
    let result: { allowed: boolean; states: Parameters<typeof decide>[1] } | undefined;
    if (this.redis.status === 'ready') {
      try {
        result = await this.redisStore.consume(quota.buckets, quota.windowMs, randomUUID());
        this.setFallback(false);
      } catch (error) {
        this.setFallback(true, error);
      }
    } else {
      this.setFallback(true);
    }
    if (!result) {
      store = 'memory';
      result = await this.memoryStore.consume(quota.buckets, quota.windowMs);
    }
    this.metrics.checkDuration.observe({ store }, (performance.now() - started) / 1000);
    this.metrics.decisions.inc({ decision: result.allowed ? 'allowed' : 'limited' });
    return decide(result.allowed, result.states);
  }

  /** Readiness: Redis is optional for the gateway; its absence is `degraded`, not `down`. */
  registerHealth(health: HealthRegistry): void {
    health.register(
      'redis',
      async () => {
        if (this.redis.status !== 'ready') {
          throw new Error(`Redis unavailable (${this.redis.status}): rate limits use the in-process fallback`);
        }
        await this.redis.ping();
      },
      { critical: false },
    );
  }

  private setFallback(active: boolean, error?: unknown): void {
    if (active === this.fallback) return;
    this.fallback = active;
    this.metrics.fallbackActive.set(active ? 1 : 0);
    if (active) this.logger.warn({ err: error }, 'Redis unavailable: rate limits fall back to this replica alone');
    else this.logger.info('Redis is back: rate limits are shared again');
  }
}
