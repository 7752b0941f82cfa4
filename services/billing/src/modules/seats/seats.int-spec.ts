import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, TopicAdmin, TopicNamer } from '@parley/bus';
import { AuthMembershipChangedV1, type Role } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { BillingStack } from '../../testing/billing-stack';
import { signed, stripeEvent, subscriptionObject } from '../../testing/stripe-events';

describe('seats: the subscription quantity follows the member count, debounced', () => {
  let stack: BillingStack;

  beforeAll(async () => {
    stack = await BillingStack.start({ BILLING_SEAT_SYNC_INTERVAL_MS: '400' });
    await stack.app.get(TopicAdmin).ensureTopics([stack.app.get(TopicNamer).physical(AuthMembershipChangedV1.name)]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const membership = (tenantId: string, userId: string, role: Role | null) =>
    stack.app
      .get(BusProducer)
      .emit(AuthMembershipChangedV1, { tenantId, userId, role, changedAt: new Date().toISOString() });

  async function subscribe(tenantId: string): Promise<string> {
    const id = `sub_seat${tenantId.slice(0, 6)}`;
    const now = Math.floor(Date.now() / 1000);
    const { payload, signature } = signed(
      stripeEvent({
        type: 'customer.subscription.created',
        created: now,
        object: subscriptionObject({
          id,
          customer: `cus_seat${tenantId.slice(0, 6)}`,
          tenantId,
          status: 'active',
          plan: 'pro',
          seats: 1,
          periodStart: now,
        }),
      }),
    );
    expect((await stack.deliver(payload, signature)).status).toBe(200);
    return id;
  }

  it('sets the seat item to the member count after sign-ups, invites and removals, in few calls', async () => {
    const tenantId = randomUUID();
    const subscriptionId = await subscribe(tenantId);
    const [owner, alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await membership(tenantId, owner, 'owner');
    await membership(tenantId, alice, 'member');
    await membership(tenantId, bob, 'member');
    await membership(tenantId, alice, 'admin'); // a role change: still one seat
    await membership(tenantId, carol, 'billing');
    await membership(tenantId, bob, null); // removed
    const seatUpdates = () =>
      stack.recorder
        .callsTo('POST', `/v1/subscriptions/${subscriptionId}`)
        .filter((c) => c.params['items[0][id]'] === `si_${subscriptionId}_seat`);
    await waitFor(() => seatUpdates().at(-1)?.params['items[0][quantity]'] === '3', {
      timeoutMs: 20_000,
      what: 'the seat quantity 3 (owner, alice, carol)',
    });
    expect(seatUpdates().at(-1)?.params).toMatchObject({ proration_behavior: 'create_prorations' });
    expect(seatUpdates().length).toBeLessThan(6); // six changes, debounced into fewer calls
    const [members] = await stack.rows<{ n: string }>(
      `SELECT count(*) AS n FROM billing.members WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(Number(members?.n)).toBe(3);
  });

  it("changes nothing in Stripe for a tenant without a subscription, nor another tenant's subscription", async () => {
    const subscribed = randomUUID();
    const subscriptionId = await subscribe(subscribed);
    const other = randomUUID();
    const before = stack.recorder.calls.length;
    await membership(other, randomUUID(), 'owner');
    await membership(other, randomUUID(), 'member');
    await waitFor(
      async () =>
        (await stack.rows(`SELECT 1 FROM billing.seat_sync WHERE tenant_id = $1 AND dirty_since IS NULL`, [other]))
          .length === 1,
      { timeoutMs: 20_000, what: 'the other tenant synced' },
    );
    const calls = stack.recorder.calls.slice(before).filter((c) => c.path.startsWith('/v1/subscriptions'));
    expect(calls.filter((c) => c.path.includes(subscriptionId))).toEqual([]);
    expect(calls).toEqual([]);
  });
});
