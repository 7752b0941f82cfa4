import type { Bucket, BucketState } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';

/**
 * The same sliding-window log in process memory: the fallback while Redis is unreachable. Each
 * replica then counts on its own (N replicas admit up to N × the limit), which beats refusing all
 * traffic or admitting all of it. Memory is bounded: a log never exceeds its limit, idle keys are
 * swept, and past `maxKeys` the least recently used key goes.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly logs = new Map<string, number[]>();
  private calls = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  get size(): number {
    return this.logs.size;
  }

  async consume(buckets: readonly Bucket[], windowMs: number): Promise<{ allowed: boolean; states: BucketState[] }> {
    const now = this.now();
    if (++this.calls % 1000 === 0) this.sweep(now - windowMs);
    const logs = buckets.map((b) => this.log(b.key, now - windowMs));
    const states = buckets.map((b, i) => {
      const log = logs[i] as number[];
      return {
        count: log.length,
        limit: b.limit,
        resetMs: log.length ? (log[0] as number) + windowMs - now : windowMs,
      };
    });
    const allowed = states.every((s) => s.count < s.limit);
    if (allowed) {
      logs.forEach((log, i) => {
        log.push(now);
        (states[i] as BucketState).count += 1;
      });
    }
    return { allowed, states };
  }

  /** The key's log without entries at or before `cutoff`, marked most recently used. */
  private log(key: string, cutoff: number): number[] {
    const log = this.logs.get(key) ?? [];
    let expired = 0;
    while (expired < log.length && (log[expired] as number) <= cutoff) expired++;
    if (expired) log.splice(0, expired);
    this.logs.delete(key);
    this.logs.set(key, log);
    if (this.logs.size > this.maxKeys) {
      const lru = this.logs.keys().next().value;
      if (lru !== undefined) this.logs.delete(lru);
    }
    return log;
  }

  private sweep(cutoff: number): void {
    for (const [key, log] of this.logs) {
      if (!log.length || (log[log.length - 1] as number) <= cutoff) this.logs.delete(key);
    }
  }
}
