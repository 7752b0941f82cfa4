import type Stripe from 'stripe';
import type { BillingConfig, PlanId } from '@parley/config';
import { subscriptionStatusSchema, type SubscriptionStatus } from '@parley/contracts';
import type { InvoiceState, SubscriptionState } from './webhooks.repository';

/** Statuses that keep the paid plan's entitlement (past_due: the dunning grace period decides). */
const ENTITLED: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due'];

export const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The plan whose configured flat price is this price id. */
export function planOfPrice(prices: BillingConfig['prices'], priceId: string | null): PlanId | null {
  if (!priceId) return null;
  for (const [plan, id] of Object.entries(prices.plans) as [PlanId, string | null][]) {
    if (id === priceId) return plan;
  }
  return null;
}

/**
 * The subscription as billing keeps it: the plan from the item on a plan price, seats from the
 * item on the seat price (else 1), the period from the items (Stripe moved it there), and the
 * entitled plan (`free` unless active, trialing or past due). `deleted` events end it.
 */
export function subscriptionState(
  sub: Stripe.Subscription,
  tenantId: string,
  prices: BillingConfig['prices'],
  deleted: boolean,
  fallbackPlan: PlanId,
): SubscriptionState {
  const items = sub.items?.data ?? [];
  let plan: PlanId | null = null;
  let seats = 1;
  let seatItemId: string | null = null;
  for (const item of items) {
    const priceId = idOf(item.price);
    plan ??= planOfPrice(prices, priceId);
    if (prices.seat && priceId === prices.seat) {
      seats = item.quantity ?? 1;
      seatItemId = item.id;
    }
  }
  const parsedStatus = subscriptionStatusSchema.safeParse(sub.status);
  const status: SubscriptionStatus = deleted ? 'canceled' : parsedStatus.success ? parsedStatus.data : 'incomplete';
  const resolvedPlan = plan ?? fallbackPlan;
  const first = items[0];
  return {
    tenantId,
    stripeSubscriptionId: sub.id,
    status,
    plan: resolvedPlan,
    entitledPlan: ENTITLED.includes(status) ? resolvedPlan : 'free',
    seats,
    seatItemId,
    currentPeriodStart: first?.current_period_start ?? null,
    currentPeriodEnd: first?.current_period_end ?? null,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    trialEnd: sub.trial_end ?? null,
  };
}

export function invoiceState(invoice: Stripe.Invoice, tenantId: string): InvoiceState {
  return {
    id: invoice.id ?? '',
    tenantId,
    number: invoice.number ?? null,
    status: invoice.status ?? 'open',
    amountDue: invoice.amount_due ?? 0,
    amountPaid: invoice.amount_paid ?? 0,
    currency: invoice.currency ?? 'usd',
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    periodStart: invoice.period_start ?? null,
    periodEnd: invoice.period_end ?? null,
    created: invoice.created,
  };
}

/** The tenant id Parley put in an object's metadata (Checkout, subscription data). */
export function tenantOfMetadata(metadata: Stripe.Metadata | null | undefined): string | null {
  const value = metadata?.tenant_id;
  return typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value) ? value : null;
}
