import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { REDIS } from '@parley/tenancy';
import { authSettings } from '../../auth-settings';

/**
 * Bounds `internal/api-keys/verify` as a key-guessing oracle: refused well-formed keys (a malformed
 * one is refused without any lookup, so it tells nothing) are counted in Redis in
 * a fixed window (platform-wide: its only caller, the gateway, already limits each client address);
 * once the window holds the limit, every check is 429 `too_many_attempts` (Retry-After) before any
 * lookup, until the window ends. Without Redis, verification fails closed (503).
 */
@Injectable()
export class ApiKeyVerifyLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  /** No tenant is known for a refused key: the count is the platform's (one per topic namespace). */
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { failureLimit, windowSeconds } = authSettings(config).apiKeyVerify;
    this.limit = failureLimit;
    this.windowMs = windowSeconds * 1000;
    this.key = `platform:${config.kafka.topicPrefix}api-key-verify:refused`;
  }

  async assertAllowed(): Promise<void> {
    const [count, ttl] = await this.guard(() => Promise.all([this.redis.get(this.key), this.redis.pttl(this.key)]));
    if (Number(count ?? 0) < this.limit) return;
    throw new DomainException(ErrorCode.TooManyAttempts, 'Too many refused API keys; try again later', {
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    });
  }

  async recordRefusal(): Promise<void> {
    await this.guard(async () => {
      const count = await this.redis.incr(this.key);
      if (count === 1) await this.redis.pexpire(this.key, this.windowMs);
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'API keys cannot be verified right now', undefined, true);
    }
  }
}
