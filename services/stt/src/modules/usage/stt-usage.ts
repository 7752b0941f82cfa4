import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  BUDGET_SCOPES,
  billingGateKey,
  DomainException,
  ErrorCode,
  RetryLaterException,
  UsageRecordedV1,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import type { SttPrincipal } from '../principal/stt-principal';
import { SPEECH_PRICE_TABLE, speechCostMicros, speechPriceOf } from './speech-price-table';

/** Redis counters of a month outlive it by this much (then they expire). */
const COUNTER_TTL_SECONDS = 40 * 24 * 3600;

export interface SttAllowance {
  /** Seconds of audio the tenant may still transcribe this month. */
  remainingSeconds: number;
  /** The plan's longest audio of one upload or one live session (`sttMaxAudioSeconds`). */
  maxAudioSeconds: number;
  resetAt: Date;
}

/** What one transcription used, as metered. */
export interface SttUsageRecord {
  principal: SttPrincipal;
  seconds: number;
  /** What produced it: `upload:<request id>` or `stream:<session>:<utterance>`. */
  sourceId: string;
  /** Who transcribed it: `faster-whisper`, `openai-compatible` (the platform's upstream) or `…:tenant` (its own). */
  provider: string;
  model: string;
}

/**
 * The plan's monthly speech minutes (`sttMinutesPerMonth`): checked before any work (429
 * `quota_exceeded` with the reset time), counted per tenant and UTC month in Redis
 * (`<tenantId>:stt:seconds:<YYYY-MM>`), and each transcription recorded once as `usage.recorded.v1`
 * (kind `stt_seconds`, a fresh usage id) through the transactional outbox.
 */
/** Who a transcription is for: the tenant, and the member or API key (their budgets). */
export interface SttSubject {
  tenantId: string;
  userId?: string | null;
  apiKeyId?: string | null;
}

/** Billing's gate (`payment`, then the tenant, member and key budgets), as epoch seconds. */
function assertBillingGate([payment, ...budgets]: (string | null)[], now: Date): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (payment !== null && payment !== undefined && Number(payment) <= nowSeconds) {
    throw new DomainException(
      ErrorCode.PaymentRequired,
      'A payment failed and its grace period is over: the organisation is read-only until an invoice is paid',
      { graceUntil: new Date(Number(payment) * 1000).toISOString() },
    );
  }
  const scope = budgets.findIndex((reset) => reset !== null && reset !== undefined && Number(reset) > nowSeconds);
  if (scope >= 0) {
    const resetAt = new Date(Number(budgets[scope]) * 1000);
    throw new RetryLaterException(
      ErrorCode.BudgetExceeded,
      'The monthly budget is used up',
      { scope: BUDGET_SCOPES[scope], resetAt: resetAt.toISOString() },
      Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
    );
  }
}

@Injectable()
export class SttUsage {
  constructor(
    @Inject(REDIS_FAIL_FAST) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly plans: PlanLimitsReader,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static key(tenantId: string, now: Date): string {
    return tenantKey(tenantId, 'stt', 'seconds', monthKey(now));
  }

  /**
   * The seconds left this month, or a refusal before any work: 402 `payment_required` past a failed
   * payment's grace period, 429 `budget_exceeded` while a monthly budget of the tenant, member or API
   * key is used up (billing's gate, read in the same round trip), 429 `quota_exceeded` when the
   * plan's minutes are.
   */
  async admit(subject: SttSubject, now = new Date()): Promise<SttAllowance> {
    const { tenantId } = subject;
    const { limits } = await this.plans.planOf(tenantId);
    const limitSeconds = limits.sttMinutesPerMonth * 60;
    let used: number;
    let gate: (string | null)[];
    try {
      const answers = await this.redis
        .pipeline()
        .get(SttUsage.key(tenantId, now))
        .hmget(
          billingGateKey(tenantId),
          BILLING_GATE_FIELDS.payment,
          BILLING_GATE_FIELDS.tenant,
          subject.userId ? BILLING_GATE_FIELDS.member(subject.userId) : '-',
          subject.apiKeyId ? BILLING_GATE_FIELDS.apiKey(subject.apiKeyId) : '-',
        )
        .exec();
      if (!answers || answers.some(([error]) => error)) throw new Error('pipeline failed');
      used = Number((answers[0]?.[1] as string | null) ?? 0);
      gate = answers[1]?.[1] as (string | null)[];
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'Speech minutes cannot be checked: Redis is unavailable');
    }
    assertBillingGate(gate, now);
    const resetAt = monthEnd(now);
    const remainingSeconds = limitSeconds - used;
    if (remainingSeconds <= 0) {
      throw new RetryLaterException(
        ErrorCode.QuotaExceeded,
        `The plan's ${limits.sttMinutesPerMonth} speech minutes for this month are used up`,
        { limitMinutes: limits.sttMinutesPerMonth, usedSeconds: used, resetAt: resetAt.toISOString() },
        Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
      );
    }
    return { remainingSeconds, maxAudioSeconds: limits.sttMaxAudioSeconds, resetAt };
  }

  /** Counts the seconds and records the usage event once; returns its usage id. */
  async record(usage: SttUsageRecord, now = new Date()): Promise<string> {
    const usageId = randomUUID();
    const { principal } = usage;
    const seconds = Math.round(usage.seconds * 1000) / 1000;
    await this.dataSource.transaction((manager) =>
      this.outbox.add(manager, UsageRecordedV1, {
        usageId,
        tenantId: principal.tenantId,
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
        kind: 'stt_seconds',
        sourceId: usage.sourceId.slice(0, 200),
        provider: usage.provider,
        model: usage.model,
        promptTokens: 0,
        completionTokens: 0,
        quantity: seconds,
        estimated: false,
        // What the upstream bills for the audio (the embedded engine: 0), so budgets cap speech with chat.
        costMicros: speechCostMicros(speechPriceOf(SPEECH_PRICE_TABLE, usage.provider, usage.model), seconds),
        priceTableVersion: SPEECH_PRICE_TABLE.version,
        recordedAt: now.toISOString(),
      }),
    );
    void this.relay
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
    const key = SttUsage.key(principal.tenantId, now);
    await this.redis
      .multi()
      .incrbyfloat(key, seconds)
      .expire(key, COUNTER_TTL_SECONDS)
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error, usageId }, 'Speech seconds counter not updated'));
    return usageId;
  }
}

function monthKey(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthEnd(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
