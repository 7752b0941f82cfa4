import Stripe from 'stripe';
import { PRICES, WEBHOOK_SECRET } from './billing-stack';

/**
 * Real-shaped Stripe events (the fields billing reads, in the shapes of API version
 * Stripe.API_VERSION) and their signatures, for the webhook harness: stripe-mock is stateless and
 * sends no webhooks, so tests sign events themselves with the SDK's own test-header generator.
 */
let counter = 0;

export interface EventInput {
  type: string;
  created: number;
  object: Record<string, unknown>;
}

export function stripeEvent({ type, created, object }: EventInput): Stripe.Event {
  counter += 1;
  return {
    id: `evt_${created}_${String(counter).padStart(6, '0')}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

/** The payload as Stripe sends it (pretty-printed JSON) and a valid `Stripe-Signature` for it. */
export function signed(
  event: Stripe.Event,
  options: { secret?: string; timestamp?: number } = {},
): { payload: string; signature: string } {
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return { payload, signature };
}

export function subscriptionObject(input: {
  id: string;
  customer: string;
  tenantId: string;
  status: string;
  plan: 'pro' | 'enterprise';
  seats: number;
  periodStart: number;
  cancelAtPeriodEnd?: boolean;
  trialEnd?: number | null;
}): Record<string, unknown> {
  const item = (id: string, price: string, quantity?: number) => ({
    id,
    object: 'subscription_item',
    price: { id: price, object: 'price' },
    quantity,
    current_period_start: input.periodStart,
    current_period_end: input.periodStart + 30 * 86_400,
  });
  return {
    id: input.id,
    object: 'subscription',
    customer: input.customer,
    status: input.status,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    trial_end: input.trialEnd ?? null,
    metadata: { tenant_id: input.tenantId },
    items: {
      object: 'list',
      data: [
        item(`si_${input.id}_plan`, PRICES[input.plan], 1),
        item(`si_${input.id}_seat`, PRICES.seat, input.seats),
        item(`si_${input.id}_tokens`, PRICES.tokens),
      ],
    },
  };
}

export function invoiceObject(input: {
  id: string;
  customer: string;
  tenantId: string;
  subscription: string;
  status: 'paid' | 'open';
  amountDue: number;
  amountPaid: number;
  created: number;
}): Record<string, unknown> {
  return {
    id: input.id,
    object: 'invoice',
    customer: input.customer,
    number: `INV-${input.id}`,
    status: input.status,
    amount_due: input.amountDue,
    amount_paid: input.amountPaid,
    currency: 'usd',
    hosted_invoice_url: `https://invoice.stripe.com/i/${input.id}`,
    period_start: input.created - 30 * 86_400,
    period_end: input.created,
    created: input.created,
    status_transitions: { finalized_at: input.created },
    // Stripe copies the subscription's metadata here: the tenant is known even before the customer link.
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { tenant_id: input.tenantId }, subscription: input.subscription },
    },
  };
}
