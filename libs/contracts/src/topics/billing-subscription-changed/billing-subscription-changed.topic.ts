import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, planIdSchema, uuidSchema } from '../common.schema';
import { subscriptionStatusSchema } from '../../billing/billing-vocabulary';

export const billingSubscriptionChangedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  /** The plan the tenant is entitled to now (`free` once a subscription ends). */
  plan: planIdSchema,
  status: subscriptionStatusSchema,
  seats: z.number().int().nonnegative(),
  stripeSubscriptionId: z.string().min(1).max(255).nullable(),
  /** The Stripe event that caused it (its `created`, in ms): consumers ignore an older one. */
  sourceEventId: z.string().min(1).max(255),
  sourceEventCreatedAt: isoDateSchema,
  changedAt: isoDateSchema,
});

/**
 * A tenant's subscription changed its plan or ended (billing, from a Stripe webhook). The tenant
 * service applies the plan (the one owner of `control.tenants.plan_id`). Key: tenantId.
 */
export const BillingSubscriptionChangedV1 = defineEvent({
  name: 'billing.subscription-changed.v1',
  schema: billingSubscriptionChangedV1Schema,
  key: (message) => message.tenantId,
});
