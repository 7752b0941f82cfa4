import { Injectable } from '@nestjs/common';
import type { BillingOverview } from '@parley/contracts';
import { LedgerRepository } from '../../../ledger/ledger.repository';
import { SubscriptionsRepository } from '../../subscriptions.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The billing page: plan, subscription, usage this month (UTC) from the ledger, payment state, invoices. */
@Injectable()
export class GetBillingOverviewUseCase {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async execute(now = new Date()): Promise<BillingOverview> {
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [customer, subscription, usage, invoices] = await Promise.all([
      this.subscriptions.customer(),
      this.subscriptions.subscription(),
      this.ledger.totalsSince(periodStart),
      this.subscriptions.invoices(),
    ]);
    const graceUntil = customer?.graceUntil ?? null;
    return {
      plan: subscription?.entitledPlan ?? 'free',
      subscription: subscription && {
        status: subscription.status,
        seats: subscription.seats,
        currentPeriodStart: iso(subscription.currentPeriodStart),
        currentPeriodEnd: iso(subscription.currentPeriodEnd),
        cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
        trialEnd: iso(subscription.trialEnd ?? customer?.trialEndsAt ?? null),
      },
      usage: { periodStart: periodStart.toISOString(), ...usage },
      payment: {
        failedAt: iso(customer?.paymentFailedAt ?? null),
        graceUntil: iso(graceUntil),
        readOnly: graceUntil !== null && graceUntil.getTime() <= now.getTime(),
      },
      invoices,
    };
  }
}
