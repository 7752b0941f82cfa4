import { z } from 'zod';
import type { Role } from '../auth/roles';

/** Stripe's subscription statuses (https://docs.stripe.com/api/subscriptions/object#subscription_object-status). */
export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;
export const subscriptionStatusSchema = z.enum(SUBSCRIPTION_STATUSES);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

/** What the usage ledger meters: chat tokens, and seconds of transcribed audio. */
export const LEDGER_KINDS = ['tokens', 'audio_seconds'] as const;
export const ledgerKindSchema = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof ledgerKindSchema>;

/** The Stripe webhook events billing acts on; any other type is acknowledged and ignored. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
export type HandledStripeEvent = (typeof HANDLED_STRIPE_EVENTS)[number];

/** The billing role set: who may see and change a tenant's billing. */
export const BILLING_ROLES: readonly Role[] = ['owner', 'billing'];

/** Limits of the billing API. */
export const BILLING_LIMITS = {
  /** A Stripe webhook delivery is at most this large (Stripe's events are far smaller). */
  webhookBytes: 512 * 1024,
  /** Seats one Checkout may buy. */
  maxSeats: 10_000,
  /** Invoices listed by GET /billing. */
  invoices: 12,
} as const;
