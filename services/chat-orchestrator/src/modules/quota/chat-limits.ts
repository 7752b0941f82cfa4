import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BILLING_GATE_FIELDS, BUDGET_SCOPES, billingGateKey, DomainException, ErrorCode } from '@parley/contracts';
import { PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import { LimitExceededException } from './limit-exceeded.exception';
import { hourWindow, monthWindow, secondsUntil } from './quota-window';
import { TokenUsageStore } from './token-usage.store';

/**
 * One round trip for the billing gate and both limits. KEYS[1]: the month's token counter, KEYS[2]:
 * the hour's request counter, KEYS[3]: billing's gate hash (BILLING_GATE_FIELDS). ARGV: token
 * limit, request limit, hour counter TTL, now (epoch s), the member's and the API key's gate fields
 * ('-' when none). Returns {0, used, requests} when admitted (the request is counted), {1, used}
 * over the token quota, {2, requests} over the hourly limit, {3, graceUntil} when the grace period
 * after a failed payment is over, {4, scope (1 tenant, 2 member, 3 key), resetAt} over a budget
 * (none counted), {-1} when the token counter must be rebuilt first.
 */
const ADMIT = `
local gate = redis.call('HMGET', KEYS[3], 'payment', 'tenant', ARGV[5], ARGV[6])
local now = tonumber(ARGV[4])
if gate[1] and now >= tonumber(gate[1]) then return {3, tonumber(gate[1])} end
for i = 2, 4 do
  if gate[i] and now < tonumber(gate[i]) then return {4, i - 1, tonumber(gate[i])} end
end
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
  parleyChatAdmitV2(
    tokensKey: string,
    hourKey: string,
    gateKey: string,
    tokenLimit: number,
    hourLimit: number,
    ttl: number,
    now: number,
    memberField: string,
    apiKeyField: string,
  ): Promise<number[]>;
  parleyChatRefund(hourKey: string): Promise<number>;
}

/** A chat request let through: what to give back if it is refused later (404, 409, unknown skill…). */
export interface Admission {
  hourKey: string;
}

/** Who a chat request is for, as the billing gate knows them. */
export interface AdmissionSubject {
  userId: string | null;
  apiKeyId: string | null;
}

/**
 * Billing's gate and the plan's chat limits, checked before anything reaches a provider, in one
 * Redis round trip: the grace period after a failed payment is over (402 `payment_required`), a
 * monthly budget of the tenant, member or API key is used up (`budget_exceeded`), tokens this
 * month (`quota_exceeded`) and chat requests this hour (`rate_limited`), all 429 with `Retry-After`.
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
    if (!('parleyChatAdmitV2' in redis)) redis.defineCommand('parleyChatAdmitV2', { numberOfKeys: 3, lua: ADMIT });
    if (!('parleyChatRefund' in redis)) redis.defineCommand('parleyChatRefund', { numberOfKeys: 1, lua: REFUND });
  }

  private get scripts(): WithScripts {
    return this.redis as unknown as WithScripts;
  }

  async admit(tenantId: string, subject: AdmissionSubject, now = new Date()): Promise<Admission> {
    const { limits } = await this.plans.planOf(tenantId);
    const month = monthWindow(now);
    const hour = hourWindow(now);
    const tokensKey = TokenUsageStore.key(tenantId, now);
    const hourKey = tenantKey(tenantId, 'chat', 'requests', hour.key);
    const ttl = secondsUntil(hour.resetAt, now) + 60;
    const admit = () =>
      this.call(() =>
        this.scripts.parleyChatAdmitV2(
          tokensKey,
          hourKey,
          billingGateKey(tenantId),
          limits.tokensPerMonth,
          limits.chatRequestsPerHour,
          ttl,
          Math.floor(now.getTime() / 1000),
          subject.userId ? BILLING_GATE_FIELDS.member(subject.userId) : '-',
          subject.apiKeyId ? BILLING_GATE_FIELDS.apiKey(subject.apiKeyId) : '-',
        ),
      );
    let reply = await admit();
    if (reply[0] === -1) {
      await this.usage.rebuild(tenantId, now);
      reply = await admit();
    }
    const [verdict, count] = reply;
    if (verdict === 0) return { hourKey };
    if (verdict === 3) {
      throw new DomainException(
        ErrorCode.PaymentRequired,
        'A payment failed and its grace period is over: the organisation is read-only until an invoice is paid',
        { graceUntil: new Date((count ?? 0) * 1000).toISOString() },
      );
    }
    if (verdict === 4) {
      const resetAt = new Date((reply[2] ?? 0) * 1000);
      throw new LimitExceededException(
        ErrorCode.BudgetExceeded,
        'The monthly budget is used up',
        { scope: BUDGET_SCOPES[(count ?? 1) - 1], resetAt: resetAt.toISOString() },
        secondsUntil(resetAt, now),
      );
    }
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
