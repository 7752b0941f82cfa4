import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';
import { budgetScopeSchema } from '../../billing/billing-gate';

/** What a billing notice tells the tenant's owners and billing members. */
export const BILLING_NOTICE_KINDS = ['budget_warning', 'budget_exceeded', 'payment_failed', 'trial_ending'] as const;
export const billingNoticeKindSchema = z.enum(BILLING_NOTICE_KINDS);
export type BillingNoticeKind = z.infer<typeof billingNoticeKindSchema>;

const base = {
  /**
   * Stable id of what is told (a budget's crossing per cap and month, or the Stripe event): the
   * mail is sent once per notice id, whichever replica or redelivery brings it.
   */
  noticeId: z.string().min(1).max(255),
  tenantId: uuidSchema,
  occurredAt: isoDateSchema,
};

const budgetNotice = z.strictObject({
  ...base,
  kind: z.enum(['budget_warning', 'budget_exceeded']),
  scope: budgetScopeSchema,
  /** The member's user id or the API key's id; null for the tenant's own budget. */
  subjectId: z.string().min(1).max(255).nullable(),
  capMicros: z.number().int().nonnegative(),
  spentMicros: z.number().int().nonnegative(),
  /** The calendar month (UTC) as `YYYY-MM`, and when the budget resets. */
  period: z.string().regex(/^\d{4}-\d{2}$/),
  resetAt: isoDateSchema,
});

const paymentFailedNotice = z.strictObject({
  ...base,
  kind: z.literal('payment_failed'),
  invoiceId: z.string().min(1).max(255),
  /** In the currency's smallest unit, as Stripe gives it. */
  amountDue: z.number().int().nonnegative(),
  currency: z.string().min(3).max(3),
  /** After this the tenant is read-only until an invoice is paid. */
  graceUntil: isoDateSchema,
});

const trialEndingNotice = z.strictObject({
  ...base,
  kind: z.literal('trial_ending'),
  trialEndsAt: isoDateSchema,
});

export const billingNoticeV1Schema = z.discriminatedUnion('kind', [
  budgetNotice,
  paymentFailedNotice,
  trialEndingNotice,
]);
export type BillingNotice = z.infer<typeof billingNoticeV1Schema>;

/**
 * Something a tenant's owners and billing members must be told by mail (billing, through its
 * outbox): a budget at 80% or used up, a failed payment (the grace period started), a trial about
 * to end. The auth service (which knows the people and their addresses) mails it once per
 * noticeId. Key: tenantId.
 */
export const BillingNoticeV1 = defineEvent({
  name: 'billing.notice.v1',
  schema: billingNoticeV1Schema,
  key: (message) => message.tenantId,
});
