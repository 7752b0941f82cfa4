import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, TopicAdmin, TopicNamer } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  billingGateKey,
  BillingNoticeV1,
  UsageRecordedV1,
  type MessageOf,
} from '@parley/contracts';
import { infra, waitFor } from '@parley/testing';
import { BillingStack } from '../../testing/billing-stack';
import { invoiceObject, signed, stripeEvent, subscriptionObject } from '../../testing/stripe-events';
import { monthOf } from './month-window';

describe('budgets and dunning: the billing gate written from the ledger and the payment webhooks', () => {
  let stack: BillingStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await BillingStack.start();
    redis = new Redis(infra().REDIS_URL);
    await stack.app.get(TopicAdmin).ensureTopics([stack.app.get(TopicNamer).physical(UsageRecordedV1.name)]);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  const usage = (tenantId: string, userId: string, costMicros: number): MessageOf<typeof UsageRecordedV1> => ({
    usageId: randomUUID(),
    tenantId,
    userId,
    apiKeyId: null,
    kind: 'chat_tokens',
    sourceId: randomUUID(),
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    promptTokens: 10,
    completionTokens: 10,
    quantity: 0,
    estimated: false,
    costMicros,
    priceTableVersion: '2025-01',
    recordedAt: new Date().toISOString(),
  });
  const notices = async (tenantId: string): Promise<Record<string, unknown>[]> =>
    (
      await stack.rows<{ value: Record<string, unknown> }>(
        `SELECT value FROM control.outbox WHERE topic LIKE $1 AND value->>'tenantId' = $2 ORDER BY created_at`,
        [`%${BillingNoticeV1.name}`, tenantId],
      )
    ).map((r) => r.value);
  const resetAt = String(Math.floor(monthOf(new Date()).resetAt.getTime() / 1000));

  it('stops a member at their budget: the 80% alert, then the gate field with the reset time', async () => {
    const owner = stack.caller('owner');
    const alice = randomUUID();
    const bob = randomUUID();
    const put = await stack.call(owner, 'PUT', '/billing/budgets', {
      scope: 'member',
      subjectId: alice,
      monthlyCapMicros: 1000,
    });
    expect(put.status).toBe(200);
    const producer = stack.app.get(BusProducer);
    await producer.emit(UsageRecordedV1, usage(owner.tenantId, alice, 850));
    await producer.emit(UsageRecordedV1, usage(owner.tenantId, bob, 5000));
    await waitFor(
      async () => {
        const list = await stack.call(owner, 'GET', '/billing/budgets');
        return list.body.items[0]?.spentMicros === 850 && list.body.items[0];
      },
      { what: 'the first usage counted' },
    );
    const alerted = await stack.call(owner, 'GET', '/billing/budgets');
    expect(alerted.body.items).toEqual([
      expect.objectContaining({ scope: 'member', subjectId: alice, alert: true, exceeded: false, spentMicros: 850 }),
    ]);
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({});

    await producer.emit(UsageRecordedV1, usage(owner.tenantId, alice, 200));
    const gate = await waitFor(
      async () => {
        const fields = await redis.hgetall(billingGateKey(owner.tenantId));
        return Object.keys(fields).length > 0 && fields;
      },
      { what: 'the gate written' },
    );
    expect(gate).toEqual({ [BILLING_GATE_FIELDS.member(alice)]: resetAt });

    // Raising the cap lets the member through at once.
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'member', subjectId: alice, monthlyCapMicros: 5000 });
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({});
  });

  it('stops the whole tenant once a cap is set below what it already spent, and removes a budget on null', async () => {
    const owner = stack.caller('owner');
    await stack.app.get(BusProducer).emit(UsageRecordedV1, usage(owner.tenantId, randomUUID(), 700));
    await waitFor(
      async () =>
        (await stack.rows(`SELECT 1 FROM billing.usage_ledger WHERE tenant_id = $1`, [owner.tenantId])).length === 1,
      { what: 'the usage in the ledger' },
    );
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 500 });
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({ [BILLING_GATE_FIELDS.tenant]: resetAt });
    const removed = await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: null });
    expect(removed.body).toEqual({ items: [] });
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({});
  });

  it('a failed payment starts the grace period in the gate; a newer paid invoice removes it at once', async () => {
    const tenantId = randomUUID();
    const customer = `cus_dun${tenantId.slice(0, 6)}`;
    const finalizedAt = Math.floor(Date.now() / 1000) - 10 * 86_400; // ten days ago: past the 7-day grace
    const invoice = (type: string, created: number, paid: boolean) =>
      stripeEvent({
        type,
        created,
        object: invoiceObject({
          id: `in_dun${tenantId.slice(0, 6)}`,
          customer,
          tenantId,
          subscription: `sub_dun${tenantId.slice(0, 6)}`,
          status: paid ? 'paid' : 'open',
          amountDue: 900,
          amountPaid: paid ? 900 : 0,
          created: finalizedAt,
        }),
      });
    const failed = signed(invoice('invoice.payment_failed', finalizedAt + 60, false));
    expect((await stack.deliver(failed.payload, failed.signature)).status).toBe(200);
    const graceEnd = String(finalizedAt + 7 * 86_400);
    expect(await redis.hgetall(billingGateKey(tenantId))).toEqual({ [BILLING_GATE_FIELDS.payment]: graceEnd });
    const overview = await stack.call(stack.caller('owner', tenantId), 'GET', '/billing');
    expect(overview.body.payment).toEqual({
      failedAt: new Date(finalizedAt * 1000).toISOString(),
      graceUntil: new Date(Number(graceEnd) * 1000).toISOString(),
      readOnly: true,
    });

    // The owners are told once (the notice, to the outbox with the event, for auth to mail).
    expect((await stack.deliver(failed.payload, failed.signature)).body.duplicate).toBe(true);
    expect(await notices(tenantId)).toEqual([
      {
        noticeId: JSON.parse(failed.payload).id,
        tenantId,
        kind: 'payment_failed',
        occurredAt: new Date((finalizedAt + 60) * 1000).toISOString(),
        invoiceId: `in_dun${tenantId.slice(0, 6)}`,
        amountDue: 900,
        currency: 'usd',
        graceUntil: new Date(Number(graceEnd) * 1000).toISOString(),
      },
    ]);

    const paid = signed(invoice('invoice.paid', finalizedAt + 120, true));
    expect((await stack.deliver(paid.payload, paid.signature)).status).toBe(200);
    expect(await redis.hgetall(billingGateKey(tenantId))).toEqual({});
    // The older failure delivered again (a retry) does not bring the block back.
    expect((await stack.deliver(failed.payload, failed.signature)).body.duplicate).toBe(true);
    expect(await redis.hgetall(billingGateKey(tenantId))).toEqual({});
    // A failure older than the payment (delivered late) starts nothing and mails nobody.
    const late = signed(invoice('invoice.payment_failed', finalizedAt + 90, false));
    expect((await stack.deliver(late.payload, late.signature)).body).toMatchObject({ duplicate: false });
    expect(await redis.hgetall(billingGateKey(tenantId))).toEqual({});
    expect((await notices(tenantId)).map((n) => n.kind)).toEqual(['payment_failed']);
  });

  it('customer.subscription.trial_will_end, delivered three times: one trial_ending notice', async () => {
    const tenantId = randomUUID();
    const trialEnd = Math.floor(Date.now() / 1000) + 3 * 86_400;
    const event = stripeEvent({
      type: 'customer.subscription.trial_will_end',
      created: Math.floor(Date.now() / 1000),
      object: subscriptionObject({
        id: `sub_trial${tenantId.slice(0, 6)}`,
        customer: `cus_trial${tenantId.slice(0, 6)}`,
        tenantId,
        status: 'trialing',
        plan: 'pro',
        seats: 2,
        periodStart: Math.floor(Date.now() / 1000) - 11 * 86_400,
        trialEnd,
      }),
    });
    const delivery = signed(event);
    for (let i = 0; i < 3; i++) expect((await stack.deliver(delivery.payload, delivery.signature)).status).toBe(200);
    expect(await notices(tenantId)).toEqual([
      {
        noticeId: event.id,
        tenantId,
        kind: 'trial_ending',
        occurredAt: new Date(event.created * 1000).toISOString(),
        trialEndsAt: new Date(trialEnd * 1000).toISOString(),
      },
    ]);
  });

  it('refuses a tenant budget with a subject, a member budget without one and a negative cap (400)', async () => {
    for (const body of [
      { scope: 'tenant', subjectId: randomUUID(), monthlyCapMicros: 1 },
      { scope: 'member', monthlyCapMicros: 1 },
      { scope: 'tenant', monthlyCapMicros: -1 },
      { scope: 'team', monthlyCapMicros: 1 },
    ]) {
      const res = await stack.call(stack.caller('owner'), 'PUT', '/billing/budgets', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('a member cannot read or set budgets (403)', async () => {
    const member = stack.caller('member');
    expect((await stack.call(member, 'GET', '/billing/budgets')).status).toBe(403);
    const put = await stack.call(member, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 0 });
    expect(put.status).toBe(403);
    expect(await redis.hgetall(billingGateKey(member.tenantId))).toEqual({});
  });

  it("another tenant cannot see or change this tenant's budgets", async () => {
    const owner = stack.caller('owner');
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 10_000 });
    const other = stack.caller('owner');
    expect((await stack.call(other, 'GET', '/billing/budgets')).body).toEqual({ items: [] });
    await stack.call(other, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 0 });
    const mine = await stack.call(owner, 'GET', '/billing/budgets');
    expect(mine.body.items).toEqual([expect.objectContaining({ scope: 'tenant', monthlyCapMicros: 10_000 })]);
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({});
  });
});
