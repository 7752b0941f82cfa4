import type { Bucket, BucketState } from './rate-limit.policy';

/** A sliding-window log: admits a request when every bucket counted fewer than `limit` in the last window. */
export interface RateLimitStore {
  consume(
    buckets: readonly Bucket[],
    windowMs: number,
    member: string,
  ): Promise<{ allowed: boolean; states: BucketState[] }>;
}
