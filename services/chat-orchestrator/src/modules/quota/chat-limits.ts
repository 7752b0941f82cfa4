import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingGateKey,
  budgetGateRefusal,
  DomainException,
  ErrorCode,
  reservationKeys,
  SETTLED_RESERVATION_TTL_MS,
} from '@parley/contracts';
import { PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import { PRICE_TABLE, worstCaseCostMicros } from '../accounting/price-table';
import { ADMIT, REFUND, SETTLE } from './admission-scripts';
import { LimitExceededException } from './limit-exceeded.exception';
import { hourWindow, monthWindow, secondsUntil } from './quota-window';
import { TokenUsageStore } from './token-usage.store';

/** The tenant's strict-cap keys, in the scripts' order: reserved totals, reservations, their expiry. */

interface WithScripts {
  parleyChatAdmitV3(...keysAndArgs: (string | number)[]): Promise<number[]>;
  parleyChatRefundV2(...keysAndArgs: string[]): Promise<number>;
  parleyChatSettle(...keysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * A chat request let through: what to give back if it is refused later (404, 409, unknown skill…),
 * and its budget reservation (the answer's worst case), to settle when the answer ends.
 */
export interface Admission {
  tenantId: string;
  hourKey: string;
  reservationId: string;
}

/** Who a chat request is for, as the billing gate knows them. */
export interface AdmissionSubject {
  userId: string | null;
  apiKeyId: string | null;
}

/**
 * Billing's gate and the plan's chat limits, checked before anything reaches a provider, in one
 * Redis round trip (admission-scripts.ts): the grace period after a failed payment is over (402
 * `payment_required`), a monthly budget of the tenant, member or API key is used up or cannot
 * cover this answer's worst case on top of what is spent and reserved (`budget_exceeded`: the
 * strict cap), tokens this month (`quota_exceeded`) and chat requests this hour (`rate_limited`),
 * all 429 with `Retry-After`. An admitted answer reserves its worst case (keyed by its message id)
 * until it ends (`settle`). Without Redis nothing is let through (503), rather than run unmetered.
 */
@Injectable()
export class ChatLimits {
  /** What every answer reserves at admission (see `worstCaseCostMicros`). */
  readonly worstCaseMicros: number;
  private readonly reservationTtlMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    // The request path: without Redis a chat request is refused at once (503), not after seconds.
    @Inject(REDIS_FAIL_FAST) private readonly redis: Redis,
    private readonly plans: PlanLimitsReader,
    private readonly usage: TokenUsageStore,
  ) {
    if (!config.chat) throw new Error('The chat configuration is missing (chat-orchestrator only)');
    this.worstCaseMicros = worstCaseCostMicros(
      PRICE_TABLE,
      config.chat.contextBudgetTokens,
      config.chat.maxOutputTokens,
    );
    this.reservationTtlMs = config.chat.budgetReservationTtlMs;
    if (!('parleyChatAdmitV3' in redis)) redis.defineCommand('parleyChatAdmitV3', { numberOfKeys: 7, lua: ADMIT });
    if (!('parleyChatRefundV2' in redis)) redis.defineCommand('parleyChatRefundV2', { numberOfKeys: 4, lua: REFUND });
    if (!('parleyChatSettle' in redis)) redis.defineCommand('parleyChatSettle', { numberOfKeys: 3, lua: SETTLE });
  }

  private get scripts(): WithScripts {
    return this.redis as unknown as WithScripts;
  }

  /** `reservationId`: the answer's message id (its usage's source id, which billing's ledger keeps). */
  async admit(
    tenantId: string,
    subject: AdmissionSubject,
    reservationId: string,
    now = new Date(),
  ): Promise<Admission> {
    const { limits } = await this.plans.planOf(tenantId);
    const month = monthWindow(now);
    const hour = hourWindow(now);
    const tokensKey = TokenUsageStore.key(tenantId, now);
    const hourKey = tenantKey(tenantId, 'chat', 'requests', hour.key);
    const ttl = secondsUntil(hour.resetAt, now) + 60;
    const admit = () =>
      this.call(() =>
        this.scripts.parleyChatAdmitV3(
          tokensKey,
          hourKey,
          billingGateKey(tenantId),
          billingCapsKey(tenantId),
          ...reservationKeys(tenantId),
          limits.tokensPerMonth,
          limits.chatRequestsPerHour,
          ttl,
          Math.floor(now.getTime() / 1000),
          subject.userId ? BILLING_GATE_FIELDS.member(subject.userId) : '-',
          subject.apiKeyId ? BILLING_GATE_FIELDS.apiKey(subject.apiKeyId) : '-',
          reservationId,
          this.worstCaseMicros,
          now.getTime(),
          now.getTime() + this.reservationTtlMs,
        ),
      );
    let reply = await admit();
    if (reply[0] === -1) {
      await this.usage.rebuild(tenantId, now);
      reply = await admit();
    }
    const [verdict, count] = reply;
    if (verdict === 0) return { tenantId, hourKey, reservationId };
    const refusal = budgetGateRefusal(reply, { now, monthEnd: month.resetAt, what: 'answer' });
    if (refusal) throw refusal;
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

  /**
   * Gives back the hourly request and the budget reservation of an admission refused afterwards.
   * Best effort: a reservation left behind expires with its TTL.
   */
  async refund(admission: Admission): Promise<void> {
    await this.scripts
      .parleyChatRefundV2(admission.hourKey, ...reservationKeys(admission.tenantId), admission.reservationId)
      .catch(() => undefined);
  }

  /**
   * The answer ended (complete, stopped, failed, client gone, timed out): its reservation now holds
   * its real cost until billing's gate sync sees it in the ledger (then the spend counts it), for
   * at most SETTLED_RESERVATION_TTL_MS. Best effort: if Redis is away, the worst case stays reserved
   * until the sync or its TTL (the cap stays safe, only stricter for a while).
   */
  async settle(tenantId: string, reservationId: string, costMicros: number, now = Date.now()): Promise<void> {
    await this.scripts
      .parleyChatSettle(...reservationKeys(tenantId), reservationId, costMicros, now + SETTLED_RESERVATION_TTL_MS)
      .catch(() => undefined);
  }

  private async call(script: () => Promise<number[]>): Promise<number[]> {
    try {
      return (await script()).map(Number);
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'Chat limits cannot be checked: Redis is unavailable');
    }
  }
}
