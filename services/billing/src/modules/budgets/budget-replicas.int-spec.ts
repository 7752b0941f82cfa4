import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BILLING_GATE_FIELDS,
  billingGateKey,
  BillingNoticeV1,
  type BillingNotice,
  type MessageOf,
  type UsageRecordedV1,
} from '@parley/contracts';
import { infra } from '@parley/testing';
import { BillingStack } from '../../testing/billing-stack';
import { RecordUsageUseCase } from '../ledger/usecases/record-usage/record-usage.usecase';
import { monthOf } from './month-window';

/**
 * Budgets under concurrency, two billing replicas on the same Postgres and Redis: usage events
 * applied in parallel on both (each twice: a redelivery on the other replica), around the caps.
 * The gate ends equal to the ledger (no replica's stale view erases a used-up budget), and each
 * budget notice (80%, 100%) is written to the outbox once per cap and month.
 */
describe('budgets with two billing replicas: the gate and the notices under parallel usage', () => {
  let stack: BillingStack;
  let second: INestApplication;
  let redis: Redis;
  const resetAt = String(Math.floor(monthOf(new Date()).resetAt.getTime() / 1000));

  beforeAll(async () => {
    stack = await BillingStack.start();
    second = await stack.replica();
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  const usage = (
    tenantId: string,
    costMicros: number,
    who: { userId?: string; apiKeyId?: string } = {},
  ): MessageOf<typeof UsageRecordedV1> => ({
    usageId: randomUUID(),
    tenantId,
    userId: who.userId ?? randomUUID(),
    apiKeyId: who.apiKeyId ?? null,
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

  /** Every event on both replicas at once (the second copy is a redelivery), all in parallel. */
  async function applyOnBothReplicas(events: MessageOf<typeof UsageRecordedV1>[]): Promise<void> {
    const [one, two] = [stack.app.get(RecordUsageUseCase), second.get(RecordUsageUseCase)];
    await Promise.all(
      events.flatMap((event, i) =>
        i % 2 ? [one.execute(event), two.execute(event)] : [two.execute(event), one.execute(event)],
      ),
    );
  }

  async function notices(tenantId: string): Promise<BillingNotice[]> {
    const rows = await stack.rows<{ value: BillingNotice }>(
      `SELECT value FROM control.outbox WHERE topic LIKE $1 AND value->>'tenantId' = $2 ORDER BY created_at`,
      [`%${BillingNoticeV1.name}`, tenantId],
    );
    return rows.map((r) => r.value);
  }

  it('closes the gate at the cap and keeps it closed: the gate equals the ledger after parallel usage on both', async () => {
    const owner = stack.caller('owner');
    const key = randomUUID();
    expect(
      (await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 10_000 })).status,
    ).toBe(200);
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'api_key', subjectId: key, monthlyCapMicros: 1_000 });
    // 40 × 300 = 12,000 for the tenant (the cap is crossed in the middle of the burst); the key: 5 × 300.
    const events = [
      ...Array.from({ length: 35 }, () => usage(owner.tenantId, 300)),
      ...Array.from({ length: 5 }, () => usage(owner.tenantId, 300, { apiKeyId: key })),
    ];
    await applyOnBothReplicas(events);

    const ledger = await stack.rows<{ n: string; total: string }>(
      `SELECT count(*)::text AS n, sum(cost_micros)::text AS total FROM billing.usage_ledger WHERE tenant_id = $1`,
      [owner.tenantId],
    );
    expect(ledger[0]).toEqual({ n: '40', total: '12000' });
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({
      [BILLING_GATE_FIELDS.tenant]: resetAt,
      [BILLING_GATE_FIELDS.apiKey(key)]: resetAt,
    });

    const sent = await notices(owner.tenantId);
    const byKind = (scope: string, kind: string) =>
      sent.filter((n) => 'scope' in n && n.scope === scope && n.kind === kind);
    expect(byKind('tenant', 'budget_exceeded')).toHaveLength(1);
    expect(byKind('tenant', 'budget_exceeded')[0]).toMatchObject({
      capMicros: 10_000,
      spentMicros: expect.any(Number),
      period: monthOf(new Date()).key,
      subjectId: null,
    });
    expect((byKind('tenant', 'budget_exceeded')[0] as { spentMicros: number }).spentMicros).toBeGreaterThanOrEqual(
      10_000,
    );
    // The 80% notice is sent unless one sync saw the spend jump past both thresholds at once.
    expect(byKind('tenant', 'budget_warning').length).toBeLessThanOrEqual(1);
    expect(byKind('api_key', 'budget_exceeded')).toEqual([
      expect.objectContaining({ subjectId: key, capMicros: 1_000 }),
    ]);
    expect(byKind('api_key', 'budget_warning').length).toBeLessThanOrEqual(1);
    expect(new Set(sent.map((n) => n.noticeId)).size).toBe(sent.length);
  });

  it('never lets a replica with an older view reopen a used-up budget (8 rounds of a burst at the cap)', async () => {
    for (let round = 0; round < 8; round++) {
      const owner = stack.caller('owner');
      const alice = randomUUID();
      await stack.call(owner, 'PUT', '/billing/budgets', {
        scope: 'member',
        subjectId: alice,
        monthlyCapMicros: 1_000,
      });
      // Alice's four events reach her cap exactly; the others' events sync the same gate meanwhile.
      await applyOnBothReplicas([
        ...Array.from({ length: 4 }, () => usage(owner.tenantId, 250, { userId: alice })),
        ...Array.from({ length: 12 }, () => usage(owner.tenantId, 10)),
      ]);
      expect({ round, gate: await redis.hgetall(billingGateKey(owner.tenantId)) }).toEqual({
        round,
        gate: { [BILLING_GATE_FIELDS.member(alice)]: resetAt },
      });
    }
  });

  it('sends the 80% notice once, then the 100% one once, whatever replica and however often it syncs', async () => {
    const owner = stack.caller('owner');
    const alice = randomUUID();
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'member', subjectId: alice, monthlyCapMicros: 1_000 });
    await applyOnBothReplicas([usage(owner.tenantId, 850, { userId: alice })]);
    // Every later event of another member syncs the gate again on both replicas: no second notice.
    await applyOnBothReplicas(Array.from({ length: 6 }, () => usage(owner.tenantId, 1)));
    expect((await notices(owner.tenantId)).map((n) => n.kind)).toEqual(['budget_warning']);
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({});

    await applyOnBothReplicas([usage(owner.tenantId, 200, { userId: alice }), usage(owner.tenantId, 1)]);
    const sent = await notices(owner.tenantId);
    expect(sent.map((n) => n.kind)).toEqual(['budget_warning', 'budget_exceeded']);
    expect(sent[0]).toMatchObject({ scope: 'member', subjectId: alice, capMicros: 1_000, spentMicros: 850 });
    expect(sent[1]).toMatchObject({ scope: 'member', subjectId: alice, capMicros: 1_000, spentMicros: 1_050 });
    expect(await redis.hgetall(billingGateKey(owner.tenantId))).toEqual({
      [BILLING_GATE_FIELDS.member(alice)]: resetAt,
    });
  });

  it('a new cap is a new budget: raised, it warns again at its own 80%; back to the old cap, nothing again', async () => {
    const owner = stack.caller('owner');
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 1_000 });
    await applyOnBothReplicas([usage(owner.tenantId, 900)]);
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 2_000 });
    await applyOnBothReplicas([usage(owner.tenantId, 800)]); // 1,700 of 2,000
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 1_000 }); // used up
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 2_000 });
    await stack.call(owner, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 1_000 });
    const sent = await notices(owner.tenantId);
    expect(sent.map((n) => [n.kind, 'capMicros' in n ? n.capMicros : null])).toEqual([
      ['budget_warning', 1_000],
      ['budget_warning', 2_000],
      ['budget_exceeded', 1_000],
    ]);
  });

  it("another tenant's usage never notifies or closes this tenant", async () => {
    const mine = stack.caller('owner');
    const other = stack.caller('owner');
    await stack.call(mine, 'PUT', '/billing/budgets', { scope: 'tenant', monthlyCapMicros: 1_000 });
    await applyOnBothReplicas(Array.from({ length: 4 }, () => usage(other.tenantId, 500)));
    expect(await notices(mine.tenantId)).toEqual([]);
    expect(await redis.hgetall(billingGateKey(mine.tenantId))).toEqual({});
  });
});
