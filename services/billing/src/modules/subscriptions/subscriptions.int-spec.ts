import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingStack, PRICES, type Caller } from '../../testing/billing-stack';
import { invoiceObject, signed, stripeEvent, subscriptionObject } from '../../testing/stripe-events';

const ROUTES: [string, string, unknown][] = [
  ['GET', '/billing', undefined],
  ['POST', '/billing/checkout', { plan: 'pro' }],
  ['POST', '/billing/portal', {}],
  ['POST', '/billing/subscription/plan', { plan: 'enterprise' }],
  ['POST', '/billing/subscription/cancel', {}],
];

describe('the billing routes (owners and billing members of their own tenant, on stripe-mock)', () => {
  let stack: BillingStack;
  let disabled: BillingStack;

  beforeAll(async () => {
    [stack, disabled] = await Promise.all([BillingStack.start(), BillingStack.start({ BILLING_ENABLED: 'false' })]);
  });

  afterAll(async () => {
    await Promise.all([stack?.stop(), disabled?.stop()]);
  });

  /** A tenant with an active pro subscription (3 seats) and one paid invoice, applied through signed webhooks. */
  async function subscribedTenant(): Promise<{ owner: Caller; subscriptionId: string; customer: string }> {
    const owner = stack.caller('owner');
    const short = owner.tenantId.slice(0, 8);
    const customer = `cus_${short}`;
    const subscriptionId = `sub_${short}`;
    const now = Math.floor(Date.now() / 1000);
    const events = [
      stripeEvent({
        type: 'customer.subscription.created',
        created: now - 10,
        object: subscriptionObject({
          id: subscriptionId,
          customer,
          tenantId: owner.tenantId,
          status: 'active',
          plan: 'pro',
          seats: 3,
          periodStart: now - 60,
        }),
      }),
      stripeEvent({
        type: 'invoice.paid',
        created: now - 5,
        object: invoiceObject({
          id: `in_${short}`,
          customer,
          tenantId: owner.tenantId,
          subscription: subscriptionId,
          status: 'paid',
          amountDue: 4900,
          amountPaid: 4900,
          created: now - 60,
        }),
      }),
    ];
    for (const event of events) {
      const { payload, signature } = signed(event);
      expect((await stack.deliver(payload, signature)).status).toBe(200);
    }
    return { owner, subscriptionId, customer };
  }

  it('shows a tenant without a subscription as free, with its usage and no invoices', async () => {
    const res = await stack.call(stack.caller('owner'), 'GET', '/billing');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      plan: 'free',
      subscription: null,
      usage: { tokens: 0, audioSeconds: 0, costMicros: 0 },
      payment: { failedAt: null, graceUntil: null, readOnly: false },
      invoices: [],
    });
  });

  it('shows the subscription, seats, period and invoices the webhooks applied (billing role too)', async () => {
    const { owner } = await subscribedTenant();
    const billingMember = stack.caller('billing', owner.tenantId);
    const res = await stack.call(billingMember, 'GET', '/billing');
    expect(res.status).toBe(200);
    expect(res.body.plan).toBe('pro');
    expect(res.body.subscription).toMatchObject({ status: 'active', seats: 3, cancelAtPeriodEnd: false });
    expect(res.body.invoices).toEqual([
      expect.objectContaining({ status: 'paid', amountDue: 4900, amountPaid: 4900, currency: 'usd' }),
    ]);
  });

  it('creates a Checkout session in subscription mode with the tenant in its metadata, seats, metered prices, trial and promotion codes', async () => {
    const owner = stack.caller('owner');
    const res = await stack.call(owner, 'POST', '/billing/checkout', {
      plan: 'pro',
      seats: 4,
      trial: { requireCard: false },
      returnPath: '/settings/billing',
    });
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(/^https:\/\//);
    const [customerCall] = stack.recorder
      .callsTo('POST', '/v1/customers')
      .filter((c) => c.params['metadata[tenant_id]'] === owner.tenantId);
    expect(customerCall?.idempotencyKey).toBe(`customer:${owner.tenantId}`);
    const checkout = stack.recorder
      .callsTo('POST', '/v1/checkout/sessions')
      .find((c) => c.params.client_reference_id === owner.tenantId);
    expect(checkout?.status).toBe(200);
    expect(checkout?.params).toMatchObject({
      mode: 'subscription',
      'metadata[tenant_id]': owner.tenantId,
      'subscription_data[metadata][tenant_id]': owner.tenantId,
      'subscription_data[trial_period_days]': '14',
      'subscription_data[trial_settings][end_behavior][missing_payment_method]': 'cancel',
      payment_method_collection: 'if_required',
      allow_promotion_codes: 'true',
      'automatic_tax[enabled]': 'false',
      'line_items[0][price]': PRICES.pro,
      'line_items[0][quantity]': '1',
      'line_items[1][price]': PRICES.seat,
      'line_items[1][quantity]': '4',
      'line_items[2][price]': PRICES.tokens,
      'line_items[3][price]': PRICES.audio,
    });
    expect(checkout?.params.success_url).toMatch(/^http:\/\/localhost:8000\/settings\/billing\?checkout=success/);
  });

  it('refuses a Checkout for the free plan, too many seats or unknown fields with 400 validation_failed', async () => {
    for (const body of [{ plan: 'free' }, { plan: 'pro', seats: 10_001 }, { plan: 'pro', coupon: 'x' }, {}]) {
      const res = await stack.call(stack.caller('owner'), 'POST', '/billing/checkout', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('opens the Portal for a tenant with a customer, and answers 409 no_subscription before any', async () => {
    const { owner, customer } = await subscribedTenant();
    const res = await stack.call(owner, 'POST', '/billing/portal', {});
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(/^https:\/\//);
    expect(stack.recorder.callsTo('POST', '/v1/billing_portal/sessions').at(-1)?.params.customer).toBe(customer);
    const none = await stack.call(stack.caller('owner'), 'POST', '/billing/portal', {});
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('no_subscription');
  });

  it('changes the plan with proration and cancels at period end, on the tenant’s own subscription', async () => {
    const { owner, subscriptionId } = await subscribedTenant();
    const change = await stack.call(owner, 'POST', '/billing/subscription/plan', { plan: 'enterprise' });
    expect(change.status).toBe(202);
    const update = stack.recorder.callsTo('POST', `/v1/subscriptions/${subscriptionId}`).at(-1);
    expect(update?.params).toMatchObject({
      'items[0][price]': PRICES.enterprise,
      proration_behavior: 'create_prorations',
    });
    const cancel = await stack.call(owner, 'POST', '/billing/subscription/cancel', {});
    expect(cancel.status).toBe(202);
    expect(stack.recorder.callsTo('POST', `/v1/subscriptions/${subscriptionId}`).at(-1)?.params).toEqual({
      cancel_at_period_end: 'true',
    });
  });

  it('maps a Stripe outage to 503 payment_provider_unavailable', async () => {
    stack.recorder.failNext(10); // more than the SDK's retries
    const res = await stack.call(stack.caller('owner'), 'POST', '/billing/checkout', { plan: 'pro' });
    stack.recorder.failNext(0);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('payment_provider_unavailable');
  });

  describe('a member cannot …', () => {
    it.each(ROUTES)('%s %s (403 forbidden), nor an admin, nor an API key', async (method, path, body) => {
      const tenantId = randomUUID();
      for (const caller of [
        stack.caller('member', tenantId),
        stack.caller('admin', tenantId),
        { tenantId, apiKeyId: randomUUID() },
      ]) {
        const res = await stack.call(caller, method, path, body);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      const anonymous = await stack.call(null, method, path, body);
      expect(anonymous.status).toBe(401);
    });
  });

  describe('another tenant cannot …', () => {
    it("read this tenant's subscription, invoices or usage", async () => {
      await subscribedTenant();
      const other = await stack.call(stack.caller('owner'), 'GET', '/billing');
      expect(other.body).toMatchObject({ plan: 'free', subscription: null, invoices: [] });
    });

    it("open a Portal on this tenant's customer, or change or cancel this tenant's subscription", async () => {
      const { subscriptionId } = await subscribedTenant();
      const intruder = stack.caller('owner');
      const before = stack.recorder.calls.length;
      for (const [path, body] of [
        ['/billing/portal', {}],
        ['/billing/subscription/plan', { plan: 'enterprise' }],
        ['/billing/subscription/cancel', {}],
      ] as const) {
        const res = await stack.call(intruder, 'POST', path, body);
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('no_subscription');
      }
      expect(stack.recorder.calls.slice(before).filter((c) => c.path.includes(subscriptionId))).toEqual([]);
    });
  });

  describe('billing off (self-hosted)', () => {
    it.each([...ROUTES, ['POST', '/billing/webhooks/stripe', {}] as [string, string, unknown]])(
      '%s %s answers 404 billing_disabled, even to an owner',
      async (method, path, body) => {
        const res = await disabled.call(disabled.caller('owner'), method, path, body);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('billing_disabled');
      },
    );
  });
});
