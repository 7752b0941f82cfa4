import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainException, ErrorCode } from '@parley/contracts';
import { BillingAudit } from '../../../access/billing-audit';
import { callStripe } from '../../../stripe/stripe-errors';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { SubscriptionsRepository } from '../../subscriptions.repository';

/**
 * Cancel at the end of the period (or take that back); the webhook applies what Stripe then says.
 * Recorded for the audit log (`billing.changed`, `cancellation`) once Stripe accepted it.
 */
@Injectable()
export class CancelSubscriptionUseCase {
  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly audit: BillingAudit,
  ) {}

  async execute(command: { cancelAtPeriodEnd: boolean }): Promise<void> {
    const current = await this.subscriptions.subscription();
    if (!current || current.status === 'canceled') {
      throw new DomainException(ErrorCode.NoSubscription, 'No active subscription to cancel');
    }
    await callStripe(() =>
      (this.stripe as Stripe).subscriptions.update(current.stripeSubscriptionId, {
        cancel_at_period_end: command.cancelAtPeriodEnd,
      }),
    );
    await this.audit.record(
      'cancellation',
      { type: 'subscription', id: current.stripeSubscriptionId },
      { cancelAtPeriodEnd: command.cancelAtPeriodEnd },
    );
  }
}
