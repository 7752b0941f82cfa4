import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { APP_CONFIG, type AppConfig, type BillingConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { BillingAudit } from '../../../access/billing-audit';
import { callStripe } from '../../../stripe/stripe-errors';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { SubscriptionsRepository } from '../../subscriptions.repository';

/**
 * Upgrade or downgrade: the subscription's plan item moves to the new plan's price with
 * proration (`create_prorations`). Parley's plan changes only when Stripe's
 * `customer.subscription.updated` arrives (one path for every change, the Portal's included).
 * The request is recorded for the audit log (`billing.changed`, `plan`) once Stripe accepted it.
 */
@Injectable()
export class ChangePlanUseCase {
  private readonly billing: BillingConfig;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly audit: BillingAudit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.billing = config.billing as BillingConfig;
  }

  async execute(command: { plan: 'pro' | 'enterprise' }): Promise<void> {
    const price = this.billing.prices.plans[command.plan];
    if (!price) throw new DomainException(ErrorCode.PlanNotPurchasable, `The ${command.plan} plan has no Stripe price`);
    const current = await this.subscriptions.subscription();
    if (!current || current.status === 'canceled') {
      throw new DomainException(ErrorCode.NoSubscription, 'No active subscription: use Checkout');
    }
    const stripe = this.stripe as Stripe;
    const subscription = await callStripe(() => stripe.subscriptions.retrieve(current.stripeSubscriptionId));
    const planPrices = new Set(Object.values(this.billing.prices.plans).filter((p): p is string => p !== null));
    const item = subscription.items.data.find((i) => planPrices.has(i.price.id)) ?? subscription.items.data[0];
    if (!item) throw new DomainException(ErrorCode.NoSubscription, 'The subscription has no plan item');
    await callStripe(() =>
      stripe.subscriptions.update(current.stripeSubscriptionId, {
        items: [{ id: item.id, price }],
        proration_behavior: 'create_prorations',
        metadata: { plan: command.plan },
      }),
    );
    await this.audit.record(
      'plan',
      { type: 'subscription', id: current.stripeSubscriptionId },
      { from: current.plan, to: command.plan },
    );
  }
}
