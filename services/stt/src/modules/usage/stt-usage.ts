import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingGateKey,
  budgetGateRefusal,
  DomainException,
  ErrorCode,
  reservationKeys,
  RetryLaterException,
  SETTLED_RESERVATION_TTL_MS,
  UsageRecordedV1,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import type { SttPrincipal } from '../principal/stt-principal';
import { SPEECH_PRICE_TABLE, speechCostMicros, speechPriceOf } from './speech-price-table';
import { RELEASE, SPLIT, STT_ADMIT, SETTLE } from './stt-admission-scripts';

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
  /**
   * The reservation this usage was admitted under: its own (an upload: settled to the real cost) or
   * its live session's (the utterance's cost moves out of it into a reservation of its own).
   */
  reservationId?: string;
}

/** What a transcription reserves against the budgets at admission (the strict cap, docs/billing.md). */
export interface SttReservation {
  /** An upload's usage source id (`upload:<request id>`), or a live session's own id. */
  id: string;
  /** The longest audio the request may take before the month's minutes bound it further. */
  maxSeconds: number;
  /** The engine's price, micro-USD an hour of audio (see speech-price-table.ts): 0 reserves nothing. */
  microsPerHour: number;
  /** Dropped after this if never settled or released (a replica that crashed). */
  ttlMs: number;
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

@Injectable()
export class SttUsage {
  constructor(
    @Inject(REDIS_FAIL_FAST) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly plans: PlanLimitsReader,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (!('parleySttAdmit' in redis)) redis.defineCommand('parleySttAdmit', { numberOfKeys: 6, lua: STT_ADMIT });
    if (!('parleySttSettle' in redis)) redis.defineCommand('parleySttSettle', { numberOfKeys: 3, lua: SETTLE });
    if (!('parleySttSplit' in redis)) redis.defineCommand('parleySttSplit', { numberOfKeys: 3, lua: SPLIT });
    if (!('parleySttRelease' in redis)) redis.defineCommand('parleySttRelease', { numberOfKeys: 3, lua: RELEASE });
  }

  private get scripts(): SttScripts {
    return this.redis as unknown as SttScripts;
  }

  static key(tenantId: string, now: Date): string {
    return tenantKey(tenantId, 'stt', 'seconds', monthKey(now));
  }

  /**
   * The seconds left this month, or a refusal before any work, in one Redis round trip: 402
   * `payment_required` past a failed payment's grace period, 429 `budget_exceeded` while a monthly
   * budget of the tenant, member or API key is used up or when what is spent and reserved leaves no
   * room for this request's worst case (its longest audio at its engine's price), 429
   * `quota_exceeded` when the plan's minutes are. Admitted, the worst case is reserved (see
   * SttReservation) until `record` settles it or `release` gives it back.
   */
  async admit(subject: SttSubject, reservation: SttReservation | null = null, now = new Date()): Promise<SttAllowance> {
    const { tenantId } = subject;
    const { limits } = await this.plans.planOf(tenantId);
    const limitSeconds = limits.sttMinutesPerMonth * 60;
    let reply: (string | number)[];
    try {
      reply = await this.scripts.parleySttAdmit(
        SttUsage.key(tenantId, now),
        billingGateKey(tenantId),
        billingCapsKey(tenantId),
        ...reservationKeys(tenantId),
        limitSeconds,
        Math.floor(now.getTime() / 1000),
        subject.userId ? BILLING_GATE_FIELDS.member(subject.userId) : '-',
        subject.apiKeyId ? BILLING_GATE_FIELDS.apiKey(subject.apiKeyId) : '-',
        reservation?.id ?? '',
        Math.min(reservation?.maxSeconds ?? 0, limits.sttMaxAudioSeconds),
        reservation?.microsPerHour ?? 0,
        now.getTime(),
        now.getTime() + (reservation?.ttlMs ?? 0),
      );
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'Speech minutes cannot be checked: Redis is unavailable');
    }
    const verdicts = reply.map(Number);
    const [verdict, a] = verdicts;
    const resetAt = monthEnd(now);
    const retryAfter = (until: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    const refusal = budgetGateRefusal(verdicts, { now, monthEnd: resetAt, what: 'request' });
    if (refusal) throw refusal;
    const used = a ?? 0;
    if (verdict === 1) {
      throw new RetryLaterException(
        ErrorCode.QuotaExceeded,
        `The plan's ${limits.sttMinutesPerMonth} speech minutes for this month are used up`,
        { limitMinutes: limits.sttMinutesPerMonth, usedSeconds: used, resetAt: resetAt.toISOString() },
        retryAfter(resetAt),
      );
    }
    return { remainingSeconds: limitSeconds - used, maxAudioSeconds: limits.sttMaxAudioSeconds, resetAt };
  }

  /** Gives back a reservation whose request ended without (more) usage. Best effort: else it expires. */
  async release(tenantId: string, reservationId: string): Promise<void> {
    await this.scripts.parleySttRelease(...reservationKeys(tenantId), reservationId).catch(() => undefined);
  }

  /** Counts the seconds and records the usage event once; returns its usage id. */
  async record(usage: SttUsageRecord, now = new Date()): Promise<string> {
    const usageId = randomUUID();
    const { principal } = usage;
    const seconds = Math.round(usage.seconds * 1000) / 1000;
    const sourceId = usage.sourceId.slice(0, 200);
    const costMicros = speechCostMicros(speechPriceOf(SPEECH_PRICE_TABLE, usage.provider, usage.model), seconds);
    await this.dataSource.transaction((manager) =>
      this.outbox.add(manager, UsageRecordedV1, {
        usageId,
        tenantId: principal.tenantId,
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
        kind: 'stt_seconds',
        sourceId,
        provider: usage.provider,
        model: usage.model,
        promptTokens: 0,
        completionTokens: 0,
        quantity: seconds,
        estimated: false,
        // What the upstream bills for the audio (the embedded engine: 0), so budgets cap speech with chat.
        costMicros,
        priceTableVersion: SPEECH_PRICE_TABLE.version,
        recordedAt: now.toISOString(),
      }),
    );
    if (usage.reservationId) await this.settle(principal.tenantId, usage, sourceId, costMicros, now);
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

  /**
   * The recorded cost replaces what was reserved for it until billing's ledger has it (then the
   * gate sync releases it): an upload's own reservation is settled; an utterance's cost moves out of
   * its session's. Best effort: if Redis is away, the worst case stays reserved until its TTL.
   */
  private async settle(
    tenantId: string,
    usage: SttUsageRecord,
    sourceId: string,
    costMicros: number,
    now: Date,
  ): Promise<void> {
    const keys = reservationKeys(tenantId);
    const expiry = now.getTime() + SETTLED_RESERVATION_TTL_MS;
    const id = usage.reservationId as string;
    await (
      id === sourceId
        ? this.scripts.parleySttSettle(...keys, id, costMicros, expiry)
        : this.scripts.parleySttSplit(...keys, id, sourceId, costMicros, expiry)
    ).catch((error: unknown) => this.logger.warn({ err: error, reservationId: id }, 'Speech reservation not settled'));
  }
}

interface SttScripts {
  parleySttAdmit(...args: (string | number)[]): Promise<(string | number)[]>;
  parleySttSettle(...args: (string | number)[]): Promise<number>;
  parleySttSplit(...args: (string | number)[]): Promise<number>;
  parleySttRelease(...args: (string | number)[]): Promise<number>;
}

function monthKey(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthEnd(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
