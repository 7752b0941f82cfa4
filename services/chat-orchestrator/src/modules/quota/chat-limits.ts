import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainException, ErrorCode } from '@parley/contracts';
import { PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import { LimitExceededException } from './limit-exceeded.exception';
import { hourWindow, monthWindow, secondsUntil } from './quota-window';
import { TokenUsageStore } from './token-usage.store';

/**
 * One round trip for both limits. KEYS[1]: the month's token counter, KEYS[2]: the hour's request
 * counter. ARGV: token limit, request limit, hour counter TTL. Returns {0, used, requests} when
 * admitted (the request is counted), {1, used} over the token quota, {2, requests} over the hourly
 * limit (neither counted), {-1} when the token counter must be rebuilt first.
 */
const ADMIT = `
local used = redis.call('GET', KEYS[1])
if not used then return {-1} end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then return {1, used} end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n >= tonumber(ARGV[2]) then return {2, n} end
n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {0, used, n}`;

const REFUND = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

interface WithScripts {
  parleyChatAdmit(
    tokensKey: string,
    hourKey: string,
    tokenLimit: number,
    hourLimit: number,
    ttl: number,
  ): Promise<number[]>;
  parleyChatRefund(hourKey: string): Promise<number>;
}

/** A chat request let through: what to give back if it is refused later (404, 409, unknown skill…). */
export interface Admission {
  hourKey: string;
}

/**
 * The plan's chat limits, checked before anything reaches a provider: tokens this month
 * (`quota_exceeded`) and chat requests this hour (`rate_limited`), both 429 with `Retry-After`.
 * Without Redis nothing is let through (503), rather than run unmetered.
 */
@Injectable()
export class ChatLimits {
  constructor(
    // The request path: without Redis a chat request is refused at once (503), not after seconds.
    @Inject(REDIS_FAIL_FAST) private readonly redis: Redis,
    private readonly plans: PlanLimitsReader,
    private readonly usage: TokenUsageStore,
  ) {
    if (!('parleyChatAdmit' in redis)) redis.defineCommand('parleyChatAdmit', { numberOfKeys: 2, lua: ADMIT });
    if (!('parleyChatRefund' in redis)) redis.defineCommand('parleyChatRefund', { numberOfKeys: 1, lua: REFUND });
  }

  private get scripts(): WithScripts {
    return this.redis as unknown as WithScripts;
  }

  async admit(tenantId: string, now = new Date()): Promise<Admission> {
    const { limits } = await this.plans.planOf(tenantId);
    const month = monthWindow(now);
    const hour = hourWindow(now);
    const tokensKey = TokenUsageStore.key(tenantId, now);
    const hourKey = tenantKey(tenantId, 'chat', 'requests', hour.key);
    const ttl = secondsUntil(hour.resetAt, now) + 60;
    let reply = await this.call(() =>
      this.scripts.parleyChatAdmit(tokensKey, hourKey, limits.tokensPerMonth, limits.chatRequestsPerHour, ttl),
    );
    if (reply[0] === -1) {
      await this.usage.rebuild(tenantId, now);
      reply = await this.call(() =>
        this.scripts.parleyChatAdmit(tokensKey, hourKey, limits.tokensPerMonth, limits.chatRequestsPerHour, ttl),
      );
    }
    const [verdict, count] = reply;
    if (verdict === 0) return { hourKey };
    if (verdict === 1) {
      throw new LimitExceededException(
        ErrorCode.QuotaExceeded,
        `The plan's ${limits.tokensPerMonth} tokens for this month are used up`,
        { limit: limits.tokensPerMonth, used: count, resetAt: month.resetAt.toISOString() },
        secondsUntil(month.resetAt, now),
      );
    }
    if (verdict === 2) {
      throw new LimitExceededException(
        ErrorCode.RateLimited,
        `The plan allows ${limits.chatRequestsPerHour} chat requests an hour`,
        { limit: limits.chatRequestsPerHour, used: count, resetAt: hour.resetAt.toISOString() },
        secondsUntil(hour.resetAt, now),
      );
    }
    throw new DomainException(ErrorCode.ServiceUnavailable, 'Chat limits could not be checked; try again');
  }

  /** Gives back the hourly request of an admission that was refused afterwards. Best effort. */
  async refund(admission: Admission): Promise<void> {
    await this.scripts.parleyChatRefund(admission.hourKey).catch(() => undefined);
  }

  private async call(script: () => Promise<number[]>): Promise<number[]> {
    try {
      return (await script()).map(Number);
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'Chat limits cannot be checked: Redis is unavailable');
    }
  }
}
