import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { TenantContext } from '@parley/tenancy';
import { callStripe } from '../stripe/stripe-errors';
import { STRIPE } from '../stripe/stripe.tokens';
import { SubscriptionsRepository } from './subscriptions.repository';

/**
 * The context tenant's Stripe customer, created on first need with idempotency key
 * `customer:<tenantId>` (two concurrent first checkouts create one customer) and the tenant id in
 * its metadata, then linked in `billing.customers`.
 */
@Injectable()
export class BillingCustomer {
  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async ensure(): Promise<string> {
    const known = await this.subscriptions.customer();
    if (known) return known.stripeCustomerId;
    const tenantId = TenantContext.require();
    const customer = await callStripe(() =>
      (this.stripe as Stripe).customers.create(
        { metadata: { tenant_id: tenantId } },
        { idempotencyKey: `customer:${tenantId}` },
      ),
    );
    return this.subscriptions.linkCustomer(customer.id);
  }
}
