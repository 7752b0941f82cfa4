import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { APP_CONFIG, type AppConfig, type BillingConfig } from '@parley/config';
import { LOGGER, type Logger, RepeatingPass } from '@parley/observability';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { LedgerRepository, type UnreportedUsage } from '../../ledger.repository';

/** Meter events sent at once within a batch (Stripe's v1 meter-event endpoint takes one event per call). */
const PARALLEL = 8;

/**
 * Reports the ledger to Stripe Billing meters, every `BILLING_METER_INTERVAL_MS` on each replica:
 * claims a batch of unreported rows (SKIP LOCKED, so replicas share the work), sends one meter event
 * per row with `identifier` = the usage id — Stripe keeps one event per identifier, so a resend
 * after a crash or a timeout never bills twice — and marks each row reported, or schedules its
 * retry with exponential backoff (`BILLING_METER_RETRY_BASE_MS` × 2^attempts, at most
 * `BILLING_METER_MAX_ATTEMPTS` before the reconciler takes it). A pass drains while batches are full.
 */
@Injectable()
export class ReportMeterEventsUseCase extends RepeatingPass {
  private readonly billing: BillingConfig | null;

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config.billing?.enabled ? config.billing.meterIntervalMs : 0, logger, 'Meter event reporting pass failed');
    this.billing = config.billing;
  }

  protected async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.execute();
      sent += batch;
      if (batch < (this.billing?.meterBatchSize ?? 0)) return sent;
    }
  }

  /** One batch; returns how many rows were claimed. */
  async execute(): Promise<number> {
    const billing = this.billing;
    if (!this.stripe || !billing?.enabled) return 0;
    const rows = await this.ledger.claimUnreported(
      billing.meterBatchSize,
      billing.meterMaxAttempts,
      billing.meterLeaseMs,
    );
    for (let i = 0; i < rows.length; i += PARALLEL) {
      await Promise.all(rows.slice(i, i + PARALLEL).map((row) => this.report(row, billing)));
    }
    return rows.length;
  }

  private async report(row: UnreportedUsage, billing: BillingConfig): Promise<void> {
    const stripe = this.stripe as Stripe;
    try {
      const event = await stripe.billing.meterEvents.create(
        {
          event_name: row.kind === 'tokens' ? billing.meters.tokens : billing.meters.audioSeconds,
          identifier: row.usageId,
          payload: { stripe_customer_id: row.stripeCustomerId, value: row.quantity },
          timestamp: Math.floor(row.recordedAt.getTime() / 1000),
        },
        { idempotencyKey: `meter-event:${row.usageId}` },
      );
      await this.ledger.markReported(row.usageId, event.identifier);
    } catch (error) {
      const retryInMs = Math.min(billing.meterRetryBaseMs * 2 ** row.attempts, 3_600_000);
      this.logger.warn({ err: error, usageId: row.usageId, retryInMs }, 'Meter event not accepted; retrying later');
      await this.ledger.markFailed(row.usageId, error instanceof Error ? error.message : String(error), retryInMs);
    }
  }
}
