import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HealthRegistry, Logger } from '@parley/observability';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { type BucketState, decide, type Quota, type RateLimitDecision } from './rate-limit.policy';
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
    const { value, store } = await this.attempt(
      () => this.redisStore.consume(quota.buckets, quota.windowMs, randomUUID()),
      () => this.memoryStore.consume(quota.buckets, quota.windowMs),
    );
    return this.record(store, started, value);
  }

  /**
   * `onRedis` while the connection is ready, else (or when it fails or times out) `inMemory`; turns
   * the fallback on or off accordingly. EdgeAdmission runs its combined check through this too.
   */
  async attempt<T>(
    onRedis: () => Promise<T>,
    inMemory: () => Promise<T>,
  ): Promise<{ value: T; store: 'redis' | 'memory' }> {
    if (this.redis.status === 'ready') {
      try {
        const value = await onRedis();
        this.setFallback(false);
        return { value, store: 'redis' };
      } catch (error) {
        this.setFallback(true, error);
      }
    } else {
      this.setFallback(true);
    }
    return { value: await inMemory(), store: 'memory' };
  }

  /** The in-process sliding window (the fallback). */
  consumeInMemory(quota: Quota): Promise<{ allowed: boolean; states: BucketState[] }> {
    return this.memoryStore.consume(quota.buckets, quota.windowMs);
  }

  /** Counts one check (its store and how long it took) and decides it. */
  record(
    store: 'redis' | 'memory',
    started: number,
    result: { allowed: boolean; states: readonly BucketState[] },
  ): RateLimitDecision {
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
