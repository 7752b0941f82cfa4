import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import { DomainException, ErrorCode, UsageRecordedV1 } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, PlanLimitsReader, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';
import { RetryLaterException } from '@parley/contracts';
import type { SttPrincipal } from '../principal/stt-principal';

/** Redis counters of a month outlive it by this much (then they expire). */
const COUNTER_TTL_SECONDS = 40 * 24 * 3600;

export interface SttAllowance {
  /** Seconds of audio the tenant may still transcribe this month. */
  remainingSeconds: number;
  resetAt: Date;
}

/** What one transcription used, as metered. */
export interface SttUsageRecord {
  principal: SttPrincipal;
  seconds: number;
  /** What produced it: `upload:<request id>` or `stream:<session>:<utterance>`. */
  sourceId: string;
  model: string;
}

/**
 * The plan's monthly speech minutes (`sttMinutesPerMonth`): checked before any work (429
 * `quota_exceeded` with the reset time), counted per tenant and UTC month in Redis
 * (`<tenantId>:stt:seconds:<YYYY-MM>`), and each transcription recorded once as `usage.recorded.v1`
 * (kind `stt_seconds`, a fresh usage id) through the transactional outbox.
 */
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

  /** The seconds left this month, or 429 `quota_exceeded` when none are. */
  async admit(tenantId: string, now = new Date()): Promise<SttAllowance> {
    const { limits } = await this.plans.planOf(tenantId);
    const limitSeconds = limits.sttMinutesPerMonth * 60;
    let used: number;
    try {
      used = Number((await this.redis.get(SttUsage.key(tenantId, now))) ?? 0);
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'Speech minutes cannot be checked: Redis is unavailable');
    }
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
    return { remainingSeconds, resetAt };
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
        provider: 'faster-whisper',
        model: usage.model,
        promptTokens: 0,
        completionTokens: 0,
        quantity: seconds,
        estimated: false,
        costMicros: 0,
        priceTableVersion: null,
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
