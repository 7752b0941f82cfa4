import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { APP_CONFIG, type AppConfig, type BillingConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { BillingAudit } from '../../../access/billing-audit';
import { callStripe } from '../../../stripe/stripe-errors';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { SubscriptionsRepository } from '../../subscriptions.repository';
import { returnUrl } from '../../return-url';

/**
 * A Customer Portal session for the context tenant's customer (409 `no_subscription` before a first
 * Checkout); opening one is recorded for the audit log (`billing.changed`, `portal`).
 */
@Injectable()
export class CreatePortalSessionUseCase {
  private readonly billing: BillingConfig;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly audit: BillingAudit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.billing = config.billing as BillingConfig;
  }

  async execute(command: { returnPath?: string }): Promise<{ url: string }> {
    const customer = await this.subscriptions.customer();
    if (!customer) throw new DomainException(ErrorCode.NoSubscription, 'No Stripe customer yet: subscribe first');
    const session = await callStripe(() =>
      (this.stripe as Stripe).billingPortal.sessions.create({
        customer: customer.stripeCustomerId,
        return_url: returnUrl(this.billing, command.returnPath),
      }),
    );
    await this.audit.record('portal', { type: 'customer', id: customer.stripeCustomerId }, {});
    return { url: session.url };
  }
}
