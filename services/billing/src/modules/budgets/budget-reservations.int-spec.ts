import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, TopicAdmin, TopicNamer } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingReservationExpiryKey,
  billingReservationsKey,
  billingReservedKey,
  UsageRecordedV1,
  type MessageOf,
} from '@parley/contracts';
import { infra, waitFor } from '@parley/testing';
import { BillingStack } from '../../testing/billing-stack';
import { monthOf } from './month-window';

/**
 * The strict cap on billing's side: the gate sync writes every budget's cap and spend (the caps
 * hash admission checks `spent + reserved + worst case` against) and, in the same script, releases
 * the requests' reservations whose usage the ledger now holds, so each cost is counted once: as
 * reserved until the ledger has it, as spent after. Reservations are written here as chat's
 * admission writes them (`billingReservationsKey` in @parley/contracts).
 */
describe('the strict budget cap: the gate sync moves recorded reservations to the spend', () => {
  let stack: BillingStack;
  let redis: Redis;
  const resetAt = String(Math.floor(monthOf(new Date()).resetAt.getTime() / 1000));

  beforeAll(async () => {
    stack = await BillingStack.start();
    redis = new Redis(infra().REDIS_URL);
    await stack.app.get(TopicAdmin).ensureTopics([stack.app.get(TopicNamer).physical(UsageRecordedV1.name)]);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  const usage = (
    tenantId: string,
    userId: string,
    sourceId: string,
    costMicros: number,
  ): MessageOf<typeof UsageRecordedV1> => ({
    usageId: randomUUID(),
    tenantId,
    userId,
    apiKeyId: null,
    kind: 'chat_tokens',
    sourceId,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    promptTokens: 10,
    completionTokens: 10,
    quantity: 0,
    estimated: false,
    costMicros,
    priceTableVersion: '2026-11-01',
    recordedAt: new Date().toISOString(),
  });

  /** A reservation as admission writes it (and as the end of the answer settles it). */
  async function reserve(tenantId: string, id: string, micros: number, fields: string[]): Promise<void> {
    await redis.hset(billingReservationsKey(tenantId), id, [String(micros), ...fields].join(' '));
    await redis.zadd(billingReservationExpiryKey(tenantId), Date.now() + 600_000, id);
    for (const field of fields) await redis.hincrby(billingReservedKey(tenantId), field, micros);
  }

  const spentIn = async (tenantId: string, field: string) =>
    Number((await redis.hget(billingCapsKey(tenantId), field))?.split(' ')[1]);

  it('writes each budget as "cap spent resetAt", and a recorded usage leaves reserved for spent in one step', async () => {
    const owner = stack.caller('owner');
    const alice = randomUUID();
    const tenantId = owner.tenantId;
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 100_000 });
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'member', subjectId: alice, monthlyCapMicros: 50_000 });
    const member = BILLING_GATE_FIELDS.member(alice);
    expect(await redis.hgetall(billingCapsKey(tenantId))).toEqual({
      tenant: `100000 0 ${resetAt}`,
      [member]: `50000 0 ${resetAt}`,
    });
    // One answer ended (settled to its real cost, 1234), one still running (its worst case, 20 000).
    const ended = randomUUID();
    const running = randomUUID();
    await reserve(tenantId, ended, 1234, ['tenant', member]);
    await reserve(tenantId, running, 20_000, ['tenant', member]);

    const producer = stack.app.get(BusProducer);
    await producer.emit(UsageRecordedV1, usage(tenantId, alice, ended, 1234));
    await waitFor(async () => (await spentIn(tenantId, 'tenant')) === 1234, { what: 'the usage in the caps' });
    expect(await redis.hgetall(billingCapsKey(tenantId))).toEqual({
      tenant: `100000 1234 ${resetAt}`,
      [member]: `50000 1234 ${resetAt}`,
    });
    expect(await redis.hgetall(billingReservedKey(tenantId))).toEqual({ tenant: '20000', [member]: '20000' });
    expect(await redis.hkeys(billingReservationsKey(tenantId))).toEqual([running]);
    expect(await redis.zrange(billingReservationExpiryKey(tenantId), 0, -1)).toEqual([running]);

    // The ledger can get the usage before the answer's end settled it: the worst case goes, the cost counts once.
    await producer.emit(UsageRecordedV1, usage(tenantId, alice, running, 900));
    await waitFor(async () => (await spentIn(tenantId, 'tenant')) === 2134, { what: 'the second usage' });
    expect(await redis.hgetall(billingReservedKey(tenantId))).toEqual({});
    expect(await redis.hlen(billingReservationsKey(tenantId))).toBe(0);
  });

  it('a redelivered usage releases nothing more (the reservation is gone) and counts once', async () => {
    const owner = stack.caller('owner');
    const tenantId = owner.tenantId;
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 100_000 });
    const id = randomUUID();
    const later = randomUUID();
    await reserve(tenantId, id, 500, ['tenant']);
    const event = usage(tenantId, randomUUID(), id, 500);
    const producer = stack.app.get(BusProducer);
    await producer.emit(UsageRecordedV1, event);
    await waitFor(async () => (await spentIn(tenantId, 'tenant')) === 500, { what: 'the usage' });
    await reserve(tenantId, later, 7000, ['tenant']);
    await producer.emit(UsageRecordedV1, event);
    await producer.emit(UsageRecordedV1, usage(tenantId, randomUUID(), randomUUID(), 1));
    await waitFor(async () => (await spentIn(tenantId, 'tenant')) === 501, { what: 'the marker usage' });
    expect(await redis.hgetall(billingReservedKey(tenantId))).toEqual({ tenant: '7000' });
    expect(await redis.hkeys(billingReservationsKey(tenantId))).toEqual([later]);
  });

  it("another tenant's usage with the same source id never releases this tenant's reservation", async () => {
    const mine = stack.caller('owner');
    const other = stack.caller('owner');
    await stack.call(mine, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 100_000 });
    await stack.call(other, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 100_000 });
    const shared = randomUUID();
    await reserve(mine.tenantId, shared, 3000, ['tenant']);
    await reserve(other.tenantId, shared, 3000, ['tenant']);
    await stack.app.get(BusProducer).emit(UsageRecordedV1, usage(other.tenantId, randomUUID(), shared, 3000));
    await waitFor(async () => (await spentIn(other.tenantId, 'tenant')) === 3000, { what: "the other's usage" });
    expect(await redis.hgetall(billingReservedKey(other.tenantId))).toEqual({});
    // Mine is still reserved, and its caps show nothing spent.
    expect(await redis.hgetall(billingReservedKey(mine.tenantId))).toEqual({ tenant: '3000' });
    expect(await redis.hkeys(billingReservationsKey(mine.tenantId))).toEqual([shared]);
    expect(await spentIn(mine.tenantId, 'tenant')).toBe(0);
  });
});
