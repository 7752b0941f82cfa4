import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import type { LedgerKind } from '@parley/contracts';
import { LOGGER, type Logger, RepeatingPass } from '@parley/observability';
import { LedgerRepository } from '../../ledger.repository';

export interface ReconcileReport {
  requeued: number;
  released: number;
  gap: { kind: LedgerKind; ledger: string; reported: string; unreported: number }[];
}

/**
 * Every `BILLING_RECONCILE_INTERVAL_MS`: compares the ledger's totals with what Stripe acknowledged
 * (per kind, tenants with a customer) and repairs the difference — rows that used up their
 * attempts are queued again, leases of crashed reporters released — so every usage id is
 * eventually reported exactly once (Stripe dedupes on the identifier). The gap is logged.
 */
@Injectable()
export class ReconcileUsageUseCase extends RepeatingPass {
  private readonly maxAttempts: number;

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(config.billing?.enabled ? config.billing.reconcileIntervalMs : 0, logger, 'Usage reconciliation failed');
    this.maxAttempts = config.billing?.meterMaxAttempts ?? 1;
  }

  protected pass(): Promise<ReconcileReport> {
    return this.execute();
  }

  async execute(): Promise<ReconcileReport> {
    const gap = await this.ledger.reportingGap();
    const repaired = await this.ledger.requeueStuck(this.maxAttempts);
    const report = { ...repaired, gap };
    if (repaired.requeued || repaired.released || gap.some((g) => g.unreported > 0)) {
      this.logger.info(report, 'Usage reconciliation: unreported usage queued again');
    }
    return report;
  }
}
