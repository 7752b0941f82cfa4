import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { APP_CONFIG, type AppConfig, type BillingConfig } from '@parley/config';
import { DomainException, ErrorCode, type CheckoutBody } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';
import { callStripe } from '../../../stripe/stripe-errors';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { BillingCustomer } from '../../billing-customer';
import { BillingAudit } from '../../../access/billing-audit';
import { returnUrl } from '../../return-url';

/**
 * A Checkout session in subscription mode for the context tenant: the plan's flat price, the seat
 * price × seats and the metered prices (tokens, audio seconds) that are configured; the tenant id
 * in the session's and the subscription's metadata (the webhooks find the tenant by it); an
 * optional trial (with or without a card), promotion codes, optional automatic tax.
 */
@Injectable()
export class CreateCheckoutSessionUseCase {
  private readonly billing: BillingConfig;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly customers: BillingCustomer,
    private readonly audit: BillingAudit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.billing = config.billing as BillingConfig;
  }

  async execute(command: CheckoutBody): Promise<{ url: string }> {
    const tenantId = TenantContext.require();
    const planPrice = this.billing.prices.plans[command.plan];
    if (!planPrice) {
      throw new DomainException(
        ErrorCode.PlanNotPurchasable,
        `The ${command.plan} plan has no Stripe price configured`,
      );
    }
    const { seat, tokens, audioSeconds } = this.billing.prices;
    const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [
      { price: planPrice, quantity: 1 },
      ...(seat ? [{ price: seat, quantity: command.seats }] : []),
      ...[tokens, audioSeconds].filter((p): p is string => p !== null).map((price) => ({ price })),
    ];
    const customer = await this.customers.ensure();
    const trial = command.trial && this.billing.trialDays > 0 ? command.trial : undefined;
    const session = await callStripe(() =>
      (this.stripe as Stripe).checkout.sessions.create({
        mode: 'subscription',
        customer,
        client_reference_id: tenantId,
        line_items: lineItems,
        metadata: { tenant_id: tenantId, plan: command.plan },
        subscription_data: {
          metadata: { tenant_id: tenantId },
          ...(trial
            ? {
                trial_period_days: this.billing.trialDays,
                ...(trial.requireCard
                  ? {}
                  : { trial_settings: { end_behavior: { missing_payment_method: 'cancel' } } }),
              }
            : {}),
        },
        ...(trial && !trial.requireCard ? { payment_method_collection: 'if_required' as const } : {}),
        allow_promotion_codes: command.allowPromotionCodes,
        automatic_tax: { enabled: this.billing.automaticTax },
        ...(this.billing.automaticTax ? { customer_update: { address: 'auto' as const } } : {}),
        success_url: `${returnUrl(this.billing, command.returnPath)}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${returnUrl(this.billing, command.returnPath)}?checkout=cancelled`,
      }),
    );
    if (!session.url) throw new DomainException(ErrorCode.PaymentProviderRejected, 'Stripe returned no Checkout URL');
    await this.audit.record(
      'checkout',
      { type: 'checkout-session', id: session.id },
      { plan: command.plan, seats: command.seats, trial: trial !== undefined },
    );
    return { url: session.url };
  }
}
