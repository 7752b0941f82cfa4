import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BILLING_GATE_FIELDS, billingGateKey } from '@parley/contracts';
import { infra } from '@parley/testing';
import { ChatStack, type Caller } from '../../testing/chat-stack';

/**
 * Billing's gate (written by the billing service; here written as it would) read in the same Redis
 * round trip as the plan limits, before any provider call.
 */
describe('budgets and dunning on the chat request path (the billing gate)', () => {
  let stack: ChatStack;
  let redis: Redis;
  const now = () => Math.floor(Date.now() / 1000);
  const sentTo = (marker: string) => stack.sim.requests.filter((r) => r.prompt.includes(marker)).length;

  beforeAll(async () => {
    stack = await ChatStack.start();
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  async function send(caller: Caller, marker: string) {
    const id = await stack.conversation(caller);
    return stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: marker });
  }

  it('refuses new chats with 402 payment_required once the grace period after a failed payment is over', async () => {
    const caller = await stack.caller();
    const graceUntil = now() - 60;
    await redis.hset(billingGateKey(caller.tenantId), BILLING_GATE_FIELDS.payment, String(graceUntil));
    const res = await send(caller, 'after-grace');
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      code: 'payment_required',
      details: { graceUntil: new Date(graceUntil * 1000).toISOString() },
    });
    expect(sentTo('after-grace')).toBe(0);
  });

  it('lets chats through during the grace period (the banner time), and again once the field is gone (invoice paid)', async () => {
    const caller = await stack.caller();
    await redis.hset(billingGateKey(caller.tenantId), BILLING_GATE_FIELDS.payment, String(now() + 3600));
    expect((await send(caller, 'in-grace')).status).toBe(201);
    await redis.hset(billingGateKey(caller.tenantId), BILLING_GATE_FIELDS.payment, String(now() - 1));
    expect((await send(caller, 'grace-over')).status).toBe(402);
    await redis.del(billingGateKey(caller.tenantId));
    expect((await send(caller, 'paid')).status).toBe(201);
  });

  it.each([
    ['the tenant', () => BILLING_GATE_FIELDS.tenant, 'tenant'],
    ['this member', (c: Caller) => BILLING_GATE_FIELDS.member(c.userId as string), 'member'],
  ])(
    'refuses with 429 budget_exceeded, the reset time and Retry-After when %s is over budget',
    async (_, field, scope) => {
      const caller = await stack.caller();
      const resetAt = now() + 7200;
      await redis.hset(billingGateKey(caller.tenantId), field(caller), String(resetAt));
      const res = await send(caller, `over-budget-${scope}`);
      expect(res.status).toBe(429);
      expect(res.body.error).toMatchObject({
        code: 'budget_exceeded',
        details: { scope, resetAt: new Date(resetAt * 1000).toISOString() },
      });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(7000);
      expect(sentTo(`over-budget-${scope}`)).toBe(0);
    },
  );

  it("refuses an API key over its own budget, and does not hold one member's budget against another", async () => {
    const tenantId = (await stack.caller()).tenantId;
    const key: Caller = { tenantId, apiKeyId: randomUUID() };
    const alice: Caller = { tenantId, userId: randomUUID() };
    const bob: Caller = { tenantId, userId: randomUUID() };
    await redis.hset(billingGateKey(tenantId), {
      [BILLING_GATE_FIELDS.apiKey(key.apiKeyId as string)]: String(now() + 3600),
      [BILLING_GATE_FIELDS.member(alice.userId as string)]: String(now() + 3600),
    });
    expect((await send(key, 'key-over')).body.error.details.scope).toBe('api_key');
    expect((await send(alice, 'alice-over')).status).toBe(429);
    expect((await send(bob, 'bob-fine')).status).toBe(201);
  });

  it('ignores a budget whose reset time has passed (a new month)', async () => {
    const caller = await stack.caller();
    await redis.hset(billingGateKey(caller.tenantId), BILLING_GATE_FIELDS.tenant, String(now() - 1));
    expect((await send(caller, 'new-month')).status).toBe(201);
  });

  it("another tenant's gate does not stop this tenant", async () => {
    const blocked = await stack.caller();
    const other = await stack.caller();
    await redis.hset(billingGateKey(blocked.tenantId), BILLING_GATE_FIELDS.tenant, String(now() + 3600));
    expect((await send(blocked, 'blocked-tenant')).status).toBe(429);
    expect((await send(other, 'other-tenant')).status).toBe(201);
  });
});
