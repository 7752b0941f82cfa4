import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainException, ErrorCode } from '@parley/contracts';
import { callStripe } from '../../../stripe/stripe-errors';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { SubscriptionsRepository } from '../../subscriptions.repository';

/** Cancel at the end of the period (or take that back); the webhook applies what Stripe then says. */
@Injectable()
export class CancelSubscriptionUseCase {
  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsRepository,
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
  }
}
