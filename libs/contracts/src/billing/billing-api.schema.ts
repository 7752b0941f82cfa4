import { z } from 'zod';
import { planIdSchema } from '../topics/common.schema';
import { BILLING_LIMITS, subscriptionStatusSchema } from './billing-vocabulary';

const appPath = z
  .string()
  .max(200)
  .regex(/^\/[A-Za-z0-9/_-]*$/, 'must be an app path like /settings/billing');

/** `POST /api/v1/billing/checkout`: a Stripe Checkout session in subscription mode. */
export const checkoutBodySchema = z.strictObject({
  plan: planIdSchema.exclude(['free']),
  seats: z.number().int().min(1).max(BILLING_LIMITS.maxSeats).default(1),
  /** Start with the configured trial; `requireCard: false` lets it start without a payment method. */
  trial: z.strictObject({ requireCard: z.boolean() }).optional(),
  allowPromotionCodes: z.boolean().default(true),
  /** Where the app wants people back (appended to the configured return URL's origin). */
  returnPath: appPath.optional(),
});
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

/** `POST /api/v1/billing/portal`. */
export const portalBodySchema = z.strictObject({ returnPath: appPath.optional() });

/** `POST /api/v1/billing/subscription/plan`: upgrade or downgrade with proration. */
export const changePlanBodySchema = z.strictObject({ plan: planIdSchema.exclude(['free']) });

/** `POST /api/v1/billing/subscription/cancel`: cancel at the period's end (or undo it). */
export const cancelSubscriptionBodySchema = z.strictObject({ cancelAtPeriodEnd: z.boolean().default(true) });

export const redirectUrlSchema = z.strictObject({ url: z.string() });

export const invoiceViewSchema = z.strictObject({
  id: z.string(),
  number: z.string().nullable(),
  status: z.string(),
  amountDue: z.number().int(),
  amountPaid: z.number().int(),
  currency: z.string(),
  hostedInvoiceUrl: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
});

export const billingOverviewSchema = z.strictObject({
  plan: planIdSchema,
  subscription: z
    .strictObject({
      status: subscriptionStatusSchema,
      seats: z.number().int(),
      currentPeriodStart: z.string().nullable(),
      currentPeriodEnd: z.string().nullable(),
      cancelAtPeriodEnd: z.boolean(),
      trialEnd: z.string().nullable(),
    })
    .nullable(),
  /** Usage this calendar month (UTC) from the ledger. */
  usage: z.strictObject({
    periodStart: z.string(),
    tokens: z.number(),
    audioSeconds: z.number(),
    costMicros: z.number(),
  }),
  /** Set while an invoice is unpaid: the end of the grace period, and whether it has passed. */
  payment: z.strictObject({
    failedAt: z.string().nullable(),
    graceUntil: z.string().nullable(),
    readOnly: z.boolean(),
  }),
  invoices: z.array(invoiceViewSchema),
});
export type BillingOverview = z.infer<typeof billingOverviewSchema>;
export type InvoiceView = z.infer<typeof invoiceViewSchema>;

export const webhookAckSchema = z.strictObject({ received: z.literal(true), duplicate: z.boolean() });
