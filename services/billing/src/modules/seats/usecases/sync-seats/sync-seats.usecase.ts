import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger, RepeatingPass } from '@parley/observability';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { SeatsRepository } from '../../seats.repository';

/** Tenants synced per pass at most. */
const BATCH = 50;

/**
 * Every `BILLING_SEAT_SYNC_INTERVAL_MS` (the debounce: membership changes within it make one call):
 * for each tenant whose members changed at least that long ago and that has a subscription with a
 * seat item, sets that item's quantity to the member count (prorated). Unchanged counts make no
 * call; a failed call marks the tenant again for the next pass.
 */
@Injectable()
export class SyncSeatsUseCase extends RepeatingPass {
  private readonly debounceMs: number;

  constructor(
    private readonly seats: SeatsRepository,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const interval = config.billing?.enabled ? config.billing.seatSyncIntervalMs : 0;
    super(interval, logger, 'Seat sync pass failed');
    this.debounceMs = interval;
  }

  protected pass(): Promise<number> {
    return this.execute();
  }

  /** One pass; returns how many subscriptions were updated. */
  async execute(): Promise<number> {
    if (!this.stripe) return 0;
    let updated = 0;
    for (const tenant of await this.seats.takeDirty(this.debounceMs, BATCH)) {
      const quantity = Math.max(1, tenant.members);
      if (!tenant.stripeSubscriptionId || !tenant.seatItemId || tenant.syncedQuantity === quantity) continue;
      try {
        await this.stripe.subscriptions.update(tenant.stripeSubscriptionId, {
          items: [{ id: tenant.seatItemId, quantity }],
          proration_behavior: 'create_prorations',
        });
        await this.seats.markSynced(tenant.tenantId, quantity);
        updated += 1;
      } catch (error) {
        this.logger.warn({ err: error, tenantId: tenant.tenantId }, 'Seat count not accepted by Stripe; retrying');
        await this.seats.markDirty(tenant.tenantId);
      }
    }
    return updated;
  }
}
