import type { Redis } from 'ioredis';
import type { GatewayConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';

/** Past this many addresses the in-process fallback forgets the oldest. */
const MEMORY_MAX_ADDRESSES = 100_000;

/**
 * Refused credentials per client address, in a fixed window shared by every replica through Redis
 * (one counter key per address, `platform:` because there is no tenant yet). The gateway checks
 * the counter BEFORE it looks a credential up (a JWKS verification or an auth-service call), so a
 * guessing client stops costing lookups once it reached the limit: 429 `rate_limited` with
 * Retry-After until the window ends. Only refusals count; a valid credential costs one GET. While
 * Redis is unreachable the counts live in this replica's memory.
 */
export class CredentialFailureLimiter {
  private readonly memory = new Map<string, { count: number; until: number }>();
  private readonly windowMs: number;
  private readonly limit: number;

  constructor(
    private readonly redis: Redis,
    config: GatewayConfig['authFailures'],
  ) {
    this.windowMs = config.windowSeconds * 1000;
    this.limit = config.limit;
  }

  /** Throws 429 when the address has used up its refused credentials for this window. */
  async assertAllowed(address: string): Promise<void> {
    const { count, resetMs } = await this.read(address);
    const refusal = this.refusal(count, resetMs);
    if (refusal) throw refusal;
  }

  /** The 429 for an address that counted `count` refusals with `resetMs` left in its window, or null. */
  refusal(count: number, resetMs: number): DomainException | null {
    if (count < this.limit) return null;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetMs > 0 ? resetMs : this.windowMs) / 1000));
    return new DomainException(
      ErrorCode.RateLimited,
      `Too many refused credentials from this address: retry after ${retryAfterSeconds} s`,
      { retryAfterSeconds },
      true,
    );
  }

  /** How many refusals the address may count in a window (EdgeAdmission reads the counter in its script). */
  get maxRefusals(): number {
    return this.limit;
  }

  /** The Redis key that counts the address's refusals. */
  keyOf(address: string): string {
    return keyOf(address);
  }

  /** The address's count while Redis cannot answer: this replica's own. */
  inMemory(address: string): { count: number; resetMs: number } {
    const entry = this.memory.get(keyOf(address));
    const now = Date.now();
    if (!entry || entry.until <= now) return { count: 0, resetMs: 0 };
    return { count: entry.count, resetMs: entry.until - now };
  }

  async recordFailure(address: string): Promise<void> {
    const key = keyOf(address);
    if (this.redis.status === 'ready') {
      try {
        await this.redis.multi().set(key, 0, 'PX', this.windowMs, 'NX').incr(key).exec();
        return;
      } catch {
        // fall through to memory
      }
    }
    const now = Date.now();
    const entry = this.memory.get(key);
    if (entry && entry.until > now) entry.count += 1;
    else {
      if (this.memory.size >= MEMORY_MAX_ADDRESSES) this.memory.delete(this.memory.keys().next().value as string);
      this.memory.set(key, { count: 1, until: now + this.windowMs });
    }
  }

  private async read(address: string): Promise<{ count: number; resetMs: number }> {
    const key = keyOf(address);
    if (this.redis.status === 'ready') {
      try {
        const count = Number((await this.redis.get(key)) ?? 0);
        // The time left is only needed for a refusal's Retry-After: the common case is one GET.
        const ttl = count >= this.limit ? await this.redis.pttl(key) : this.windowMs;
        return { count, resetMs: ttl > 0 ? ttl : this.windowMs };
      } catch {
        // fall through to memory
      }
    }
    return this.inMemory(address);
  }
}

function keyOf(address: string): string {
  return `platform:ratelimit:auth-failures:${encodeURIComponent(address)}`;
}
