import {
  billingOverviewSchema,
  cancelSubscriptionBodySchema,
  changePlanBodySchema,
  checkoutBodySchema,
  portalBodySchema,
  redirectUrlSchema,
  webhookAckSchema,
} from '../../billing/billing-api.schema';
import { BILLING_LIMITS } from '../../billing/billing-vocabulary';
import { budgetListSchema, putBudgetBodySchema } from '../../billing/billing-gate';
import type { PublicRoute } from './public-route';
import { json } from './route-parts';

const billing = (path: string) => ({ service: 'billing', path }) as const;
/** Owners and members with the `billing` role (the service checks the current role); API keys are refused. */
const BILLING_MEMBER = { kind: 'authenticated', minRole: 'billing' } as const;
const DISABLED =
  'With billing off (self-hosted, `BILLING_ENABLED=false`) every billing route answers 404 `billing_disabled`.';
const READ = [401, 403, 404, 429, 503] as const;
const WRITE = [400, 401, 403, 404, 409, 429, 502, 503] as const;

/** Billing: plans, Checkout, Portal, usage and the Stripe webhook (`/api/v1/billing…` → billing's `/billing…`). */
export const BILLING_ROUTES: readonly PublicRoute[] = [
  {
    id: 'billing.get',
    method: 'GET',
    path: '/api/v1/billing',
    tag: 'billing',
    summary: "The tenant's plan, subscription, seats, usage this month, payment state and recent invoices",
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing'),
    responses: [{ status: 200, description: 'The billing overview', schema: billingOverviewSchema, name: 'Billing' }],
    problems: READ,
  },
  {
    id: 'billing.checkout',
    method: 'POST',
    path: '/api/v1/billing/checkout',
    tag: 'billing',
    summary: 'A Stripe Checkout session (subscription mode) for a plan and seats: open the returned URL',
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/checkout'),
    request: { body: json(checkoutBodySchema) },
    responses: [{ status: 201, description: 'The Checkout URL', schema: redirectUrlSchema, name: 'RedirectUrl' }],
    problems: WRITE,
  },
  {
    id: 'billing.portal',
    method: 'POST',
    path: '/api/v1/billing/portal',
    tag: 'billing',
    summary: "A Stripe Customer Portal session for the tenant's customer: open the returned URL",
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/portal'),
    request: { body: json(portalBodySchema, false) },
    responses: [{ status: 201, description: 'The Portal URL', schema: redirectUrlSchema, name: 'RedirectUrl' }],
    problems: WRITE,
  },
  {
    id: 'billing.subscription.plan',
    method: 'POST',
    path: '/api/v1/billing/subscription/plan',
    tag: 'billing',
    summary: 'Upgrade or downgrade the subscription (prorated); the plan applies when Stripe confirms it',
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/subscription/plan'),
    request: { body: json(changePlanBodySchema) },
    responses: [{ status: 202, description: 'Asked of Stripe; the webhook applies it' }],
    problems: WRITE,
  },
  {
    id: 'billing.subscription.cancel',
    method: 'POST',
    path: '/api/v1/billing/subscription/cancel',
    tag: 'billing',
    summary: 'Cancel at the end of the period (`cancelAtPeriodEnd: false` undoes it)',
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/subscription/cancel'),
    request: { body: json(cancelSubscriptionBodySchema, false) },
    responses: [{ status: 202, description: 'Asked of Stripe; the webhook applies it' }],
    problems: WRITE,
  },
  {
    id: 'billing.budgets.list',
    method: 'GET',
    path: '/api/v1/billing/budgets',
    tag: 'billing',
    summary: "The tenant's monthly budgets (tenant, member, API key) with this month's spend and alert state",
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/budgets'),
    responses: [{ status: 200, description: 'The budgets', schema: budgetListSchema, name: 'BudgetList' }],
    problems: READ,
  },
  {
    id: 'billing.budgets.put',
    method: 'PUT',
    path: '/api/v1/billing/budgets',
    tag: 'billing',
    summary: 'Set or remove one monthly budget; past it chat and speech answer 429 budget_exceeded until the reset',
    description: DISABLED,
    access: BILLING_MEMBER,
    rateLimit: 'principal',
    upstream: billing('/billing/budgets'),
    request: { body: json(putBudgetBodySchema) },
    responses: [
      { status: 200, description: 'The budgets after the change', schema: budgetListSchema, name: 'BudgetList' },
    ],
    problems: WRITE,
  },
  {
    id: 'billing.webhooks.stripe',
    method: 'POST',
    path: '/api/v1/billing/webhooks/stripe',
    tag: 'billing',
    summary: "Stripe's webhook endpoint (signed with `Stripe-Signature`; each event applied once)",
    description:
      'Verified on the raw bytes against the current and the previous signing secret, 300 s tolerance: ' +
      'a bad signature, an unknown secret or an old timestamp is 400 `webhook_signature_invalid` and ' +
      'nothing is applied. ' +
      DISABLED,
    access: { kind: 'public' },
    rateLimit: 'client',
    upstream: billing('/billing/webhooks/stripe'),
    request: {
      body: {
        encoding: 'raw',
        contentTypes: ['application/json'],
        description: 'The Stripe event, byte for byte as Stripe signed it',
        maxBytes: BILLING_LIMITS.webhookBytes,
        forwardHeaders: ['stripe-signature'],
      },
    },
    responses: [{ status: 200, description: 'Received', schema: webhookAckSchema, name: 'WebhookAck' }],
    problems: [400, 404, 413, 415, 429, 503],
  },
];
