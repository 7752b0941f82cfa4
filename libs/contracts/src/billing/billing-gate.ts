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

/**
 * The strict cap (see docs/billing.md, "The strict cap"): what billing's gate sync and the request
 * paths share so that answers already running count against a budget.
 *
 * - `<tenantId>:billing:caps` (hash, written by billing with the gate, in the same script): for
 *   every budget of the tenant, field = its gate field (`tenant`, `member:<id>`, `key:<id>`), value
 *   = `"<capMicros> <spentMicros> <resetAt epoch s>"` (this month's spend in the ledger; a past
 *   reset time means a new month: spent 0).
 * - `<tenantId>:billing:reserved` (hash): per gate field, the micro-USD reserved by requests not yet
 *   in the ledger (running: their worst case; ended: their real cost until billing records it).
 * - `<tenantId>:billing:reservations` (hash): one entry per reservation, keyed by its usage source
 *   id (the chat answer's message id): `"<micros> <field> <field>…"`, the fields it is counted on.
 * - `<tenantId>:billing:reservations:ttl` (sorted set): the same ids scored by their expiry (epoch
 *   ms): a reservation whose replica crashed is dropped after it.
 *
 * Admission checks `spent + reserved + worstCase <= cap` for each budget that applies and reserves
 * in one script; billing's gate sync removes, in the script that writes the new spend, the
 * reservations whose source id the ledger holds — so a cost is always counted once, as reserved or
 * as spent.
 */
export function billingCapsKey(tenantId: string): string {
  return `${tenantId}:billing:caps`;
}

export function billingReservedKey(tenantId: string): string {
  return `${tenantId}:billing:reserved`;
}

export function billingReservationsKey(tenantId: string): string {
  return `${tenantId}:billing:reservations`;
}

export function billingReservationExpiryKey(tenantId: string): string {
  return `${tenantId}:billing:reservations:ttl`;
}

/**
 * How long an ended request's real cost stays reserved while billing has not recorded it (the
 * outbox, Kafka and the ledger consumer in between); billing's sync normally removes it in
 * seconds. Past it the cost is dropped from `reserved` (billing down that long: the gate is stale
 * anyway and closes when the ledger catches up).
 */
export const SETTLED_RESERVATION_TTL_MS = 3_600_000;

/**
 * Lua (shared by the request paths and billing's sync): `release(KEYS-reserved, KEYS-entries,
 * KEYS-ttl, id)` removes one reservation and takes its amount off each field it was counted on.
 * Returns its amount, or false when there was none.
 */
export const RELEASE_RESERVATION_LUA = `
local function release(reservedKey, entriesKey, ttlKey, id)
  local entry = redis.call('HGET', entriesKey, id)
  redis.call('ZREM', ttlKey, id)
  if not entry then return false end
  redis.call('HDEL', entriesKey, id)
  local amount = nil
  for word in string.gmatch(entry, '%S+') do
    if not amount then
      amount = tonumber(word)
    else
      local left = redis.call('HINCRBY', reservedKey, word, -amount)
      if left <= 0 then redis.call('HDEL', reservedKey, word) end
    end
  end
  return amount
end
`;

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
