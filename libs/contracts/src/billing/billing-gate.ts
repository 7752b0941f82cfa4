import { z } from 'zod';

/**
 * The billing gate: one Redis hash per tenant, `<tenantId>:billing:gate`, that billing writes and
 * the request paths (chat, speech) read in the same round trip as their plan limits. Its fields
 * hold epoch seconds:
 * - `payment`: the end of the grace period after a failed payment; from then on new chats and
 *   speech are refused with 402 `payment_required` (removed when an invoice is paid);
 * - `tenant`, `member:<userId>`, `key:<apiKeyId>`: a monthly budget is used up until this reset
 *   time (the next month's start, UTC): 429 `budget_exceeded`. A past value is ignored.
 */
export const BILLING_GATE_FIELDS = {
  payment: 'payment',
  tenant: 'tenant',
  member: (userId: string) => `member:${userId}`,
  apiKey: (apiKeyId: string) => `key:${apiKeyId}`,
} as const;

export function billingGateKey(tenantId: string): string {
  return `${tenantId}:billing:gate`;
}

/** What a monthly budget caps: the whole tenant, one member, or one API key. */
export const BUDGET_SCOPES = ['tenant', 'member', 'api_key'] as const;
export const budgetScopeSchema = z.enum(BUDGET_SCOPES);
export type BudgetScope = z.infer<typeof budgetScopeSchema>;

/** Share of a budget at which the alert is raised. */
export const BUDGET_ALERT_RATIO = 0.8;

/** `PUT /api/v1/billing/budgets`: set (or with `monthlyCapMicros: null`, remove) one budget. */
export const putBudgetBodySchema = z
  .strictObject({
    scope: budgetScopeSchema,
    /** The member's user id or the API key's id; absent for the tenant's budget. */
    subjectId: z.uuid().optional(),
    /** Micro-USD per calendar month (UTC); null removes the budget. */
    monthlyCapMicros: z.number().int().min(0).max(1_000_000_000_000).nullable(),
  })
  .refine((b) => (b.scope === 'tenant') === (b.subjectId === undefined), {
    message: 'subjectId is required for member and api_key budgets, and not allowed for the tenant budget',
    path: ['subjectId'],
  });
export type PutBudgetBody = z.infer<typeof putBudgetBodySchema>;

export const budgetViewSchema = z.strictObject({
  scope: budgetScopeSchema,
  subjectId: z.string().nullable(),
  monthlyCapMicros: z.number().int(),
  spentMicros: z.number().int(),
  /** The 80% alert is raised for this month. */
  alert: z.boolean(),
  exceeded: z.boolean(),
  resetAt: z.string(),
});
export const budgetListSchema = z.strictObject({ items: z.array(budgetViewSchema) });
export type BudgetView = z.infer<typeof budgetViewSchema>;
