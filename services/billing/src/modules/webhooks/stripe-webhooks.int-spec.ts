import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_LIMITS } from '@parley/contracts';
import { BillingStack, PREVIOUS_WEBHOOK_SECRET } from '../../testing/billing-stack';
import { invoiceObject, signed, stripeEvent, subscriptionObject } from '../../testing/stripe-events';

/** One tenant's subscription life as Stripe would report it, one event per step, `created` increasing. */
function lifecycle(tenantId: string, t0: number): Stripe.Event[] {
  const customer = `cus_${tenantId.slice(0, 8)}`;
  const sub = (created: number, fields: Partial<Parameters<typeof subscriptionObject>[0]>) =>
    stripeEvent({
      type: 'customer.subscription.updated',
      created,
      object: subscriptionObject({
        id: `sub_${tenantId.slice(0, 8)}`,
        customer,
        tenantId,
        status: 'active',
        plan: 'pro',
        seats: 3,
        periodStart: t0,
        ...fields,
      }),
    });
  const invoice = (type: string, created: number, id: string, paid: boolean) =>
    stripeEvent({
      type,
      created,
      object: invoiceObject({
        id,
        customer,
        tenantId,
        subscription: `sub_${tenantId.slice(0, 8)}`,
        status: paid ? 'paid' : 'open',
        amountDue: 4900,
        amountPaid: paid ? 4900 : 0,
        created: t0,
      }),
    });
  return [
    stripeEvent({
      type: 'checkout.session.completed',
      created: t0,
      object: {
        id: `cs_${tenantId.slice(0, 8)}`,
        object: 'checkout.session',
        customer,
        client_reference_id: tenantId,
        metadata: { tenant_id: tenantId },
        mode: 'subscription',
      },
    }),
    { ...sub(t0 + 1, { status: 'trialing', trialEnd: t0 + 14 * 86_400 }), type: 'customer.subscription.created' },
    {
      ...sub(t0 + 2, { status: 'trialing', trialEnd: t0 + 14 * 86_400 }),
      type: 'customer.subscription.trial_will_end',
    },
    invoice('invoice.payment_failed', t0 + 3, `in_${tenantId.slice(0, 8)}_1`, false),
    sub(t0 + 4, { status: 'past_due' }),
    invoice('invoice.paid', t0 + 5, `in_${tenantId.slice(0, 8)}_1`, true),
    sub(t0 + 6, { plan: 'enterprise', seats: 5 }),
    sub(t0 + 7, { plan: 'enterprise', seats: 5, cancelAtPeriodEnd: true }),
    invoice('invoice.payment_failed', t0 + 8, `in_${tenantId.slice(0, 8)}_2`, false),
  ] as Stripe.Event[];
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('POST /billing/webhooks/stripe (signed deliveries, each applied once, any order)', () => {
  let stack: BillingStack;

  beforeAll(async () => {
    stack = await BillingStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** What a tenant's billing looks like after its events, without ids that differ between tenants. */
  async function stateOf(tenantId: string) {
    const [subscription] = await stack.rows(
      `SELECT status, plan_id, entitled_plan_id, seats, current_period_start, current_period_end,
              cancel_at_period_end, trial_end FROM billing.subscriptions WHERE tenant_id = $1`,
      [tenantId],
    );
    const [customer] = await stack.rows(
      `SELECT payment_failed_at, grace_until, trial_ends_at FROM billing.customers WHERE tenant_id = $1`,
      [tenantId],
    );
    const invoices = await stack.rows(
      `SELECT status, amount_due, amount_paid FROM billing.invoices WHERE tenant_id = $1 ORDER BY stripe_invoice_id`,
      [tenantId],
    );
    const plans = await stack.rows<{ value: { plan: string } }>(
      `SELECT value FROM control.outbox WHERE topic = 'billing.subscription-changed.v1' AND key = $1
       ORDER BY value->>'sourceEventCreatedAt', value->>'sourceEventId'`,
      [tenantId],
    );
    return { subscription, customer, invoices, lastPlanPublished: plans.at(-1)?.value.plan };
  }

  it('applies shuffled triple deliveries exactly once each and ends in the state of in-order delivery', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 3600;
    const inOrderTenant = randomUUID();
    for (const event of lifecycle(inOrderTenant, t0)) {
      const { payload, signature } = signed(event);
      const res = await stack.deliver(payload, signature);
      expect(res).toEqual({ status: 200, body: { received: true, duplicate: false } });
    }

    const shuffledTenant = randomUUID();
    const events = lifecycle(shuffledTenant, t0);
    const deliveries = shuffle(events.flatMap((event) => [event, event, event]));
    const answers: { eventId: string; status: number; duplicate: boolean }[] = [];
    // Four deliveries in flight at a time, each after a random delay: copies of one event race each other.
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < deliveries.length; i += 4) {
          const event = deliveries[i] as Stripe.Event;
          await sleep(Math.floor(Math.random() * 15));
          const { payload, signature } = signed(event);
          const res = await stack.deliver(payload, signature);
          answers.push({ eventId: event.id, status: res.status, duplicate: res.body.duplicate });
        }
      }),
    );

    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (const event of events) {
      const applied = answers.filter((a) => a.eventId === event.id && !a.duplicate);
      expect(applied, event.id).toHaveLength(1);
    }
    const processed = await stack.rows<{ n: string }>(
      `SELECT count(*) AS n FROM billing.processed_webhook_events WHERE tenant_id = $1`,
      [shuffledTenant],
    );
    expect(Number(processed[0]?.n)).toBe(events.length);

    const expected = await stateOf(inOrderTenant);
    expect(expected.subscription).toMatchObject({
      status: 'active',
      plan_id: 'enterprise',
      entitled_plan_id: 'enterprise',
      seats: 5,
      cancel_at_period_end: true,
    });
    expect(expected.customer?.grace_until).not.toBeNull(); // the second invoice failed last
    expect(expected.invoices).toHaveLength(2);
    expect(expected.lastPlanPublished).toBe('enterprise');
    expect(await stateOf(shuffledTenant)).toEqual(expected);
  });

  it('never lets an older subscription event undo a newer one (a late "created" after "deleted")', async () => {
    const tenantId = randomUUID();
    const t0 = Math.floor(Date.now() / 1000) - 600;
    const base = {
      id: `sub_${tenantId.slice(0, 8)}`,
      customer: `cus_${tenantId.slice(0, 8)}`,
      tenantId,
      plan: 'pro' as const,
      seats: 2,
      periodStart: t0,
    };
    const deleted = stripeEvent({
      type: 'customer.subscription.deleted',
      created: t0 + 10,
      object: subscriptionObject({ ...base, status: 'canceled' }),
    });
    const created = stripeEvent({
      type: 'customer.subscription.created',
      created: t0,
      object: subscriptionObject({ ...base, status: 'active' }),
    });
    for (const event of [deleted, created]) {
      const { payload, signature } = signed(event);
      expect((await stack.deliver(payload, signature)).status).toBe(200);
    }
    const [row] = await stack.rows(`SELECT status, entitled_plan_id FROM billing.subscriptions WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(row).toEqual({ status: 'canceled', entitled_plan_id: 'free' });
    const outcomes = await stack.rows(
      `SELECT event_id, outcome FROM billing.processed_webhook_events WHERE tenant_id = $1 ORDER BY event_created`,
      [tenantId],
    );
    expect(outcomes).toEqual([
      { event_id: created.id, outcome: 'stale' },
      { event_id: deleted.id, outcome: 'applied' },
    ]);
  });

  describe('refuses deliveries that do not verify with 400 webhook_signature_invalid, applying nothing', () => {
    const event = () =>
      stripeEvent({
        type: 'customer.subscription.created',
        created: Math.floor(Date.now() / 1000),
        object: subscriptionObject({
          id: 'sub_refused',
          customer: 'cus_refused',
          tenantId: randomUUID(),
          status: 'active',
          plan: 'pro',
          seats: 1,
          periodStart: Math.floor(Date.now() / 1000),
        }),
      });

    async function expectRefused(payload: string, signature: string | null, eventId: string) {
      const res = await stack.deliver(payload, signature);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('webhook_signature_invalid');
      const rows = await stack.rows(`SELECT 1 FROM billing.processed_webhook_events WHERE event_id = $1`, [eventId]);
      expect(rows).toEqual([]);
      const subs = await stack.rows(`SELECT 1 FROM billing.subscriptions WHERE stripe_subscription_id = 'sub_refused'`);
      expect(subs).toEqual([]);
    }

    it('a body changed after signing', async () => {
      const e = event();
      const { payload, signature } = signed(e);
      await expectRefused(
        payload.replace('"pro"', '"enterprise"').replace('price_parleyPro', 'price_parleyEnterprise'),
        signature,
        e.id,
      );
    });

    it('a signature made with a secret that is neither the current nor the previous one', async () => {
      const e = event();
      const { payload, signature } = signed(e, { secret: 'whsec_someoneelsesecret01' });
      await expectRefused(payload, signature, e.id);
    });

    it('a timestamp older than the 300 s tolerance (a replay)', async () => {
      const e = event();
      const { payload, signature } = signed(e, { timestamp: Math.floor(Date.now() / 1000) - 301 });
      await expectRefused(payload, signature, e.id);
    });

    it('no Stripe-Signature header at all', async () => {
      const e = event();
      await expectRefused(signed(e).payload, null, e.id);
    });
  });

  it('refuses a body over the limit with 413 payload_too_large and a compressed one with 415, applying nothing', async () => {
    const e = stripeEvent({
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      object: { id: 'cus_big', padding: 'x'.repeat(BILLING_LIMITS.webhookBytes) },
    });
    const big = signed(e);
    const tooLarge = await stack.deliver(big.payload, big.signature);
    expect(tooLarge.status).toBe(413);
    expect((tooLarge.body as { error: { code: string } }).error.code).toBe('payload_too_large');
    const small = stripeEvent({
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      object: { id: 'c' },
    });
    const { payload, signature } = signed(small);
    const compressed = await stack.deliver(gzipSync(payload), signature, { 'content-encoding': 'gzip' });
    expect(compressed.status).toBe(415);
    const rows = await stack.rows(`SELECT 1 FROM billing.processed_webhook_events WHERE event_id = ANY($1)`, [
      [e.id, small.id],
    ]);
    expect(rows).toEqual([]);
  });

  it('accepts the previous secret during a rotation, and a timestamp just inside the tolerance', async () => {
    const tenantId = randomUUID();
    const e = stripeEvent({
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      object: {
        id: 'cs_rot',
        object: 'checkout.session',
        customer: `cus_rot${tenantId.slice(0, 6)}`,
        metadata: { tenant_id: tenantId },
      },
    });
    const { payload, signature } = signed(e, {
      secret: PREVIOUS_WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 290,
    });
    expect(await stack.deliver(payload, signature)).toEqual({
      status: 200,
      body: { received: true, duplicate: false },
    });
    const [customer] = await stack.rows(`SELECT stripe_customer_id FROM billing.customers WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(customer).toEqual({ stripe_customer_id: `cus_rot${tenantId.slice(0, 6)}` });
  });

  it('acknowledges an event type it does not handle without changing anything', async () => {
    const e = stripeEvent({
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      object: { id: 'cus_x' },
    });
    const { payload, signature } = signed(e);
    expect((await stack.deliver(payload, signature)).status).toBe(200);
    const [row] = await stack.rows(`SELECT outcome FROM billing.processed_webhook_events WHERE event_id = $1`, [e.id]);
    expect(row).toEqual({ outcome: 'ignored' });
  });
});
