import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, TopicAdmin, TopicNamer } from '@parley/bus';
import { BillingSubscriptionChangedV1, BusHeader, TenantPlanChangedV1 } from '@parley/contracts';
import { createTestDatabase, uniqueSuffix, waitFor, type TestDatabase, type TopicReader } from '@parley/testing';
import {
  createTenant,
  expectProblem,
  readTopic,
  startTenantApp,
  type Call,
} from '../tenant-state/testing/tenant-test-app';

describe('plans: limits from configuration in control.plans, and plan changes', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let call: Call;
  let changes: TopicReader;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, call } = await startTenantApp(db.url, prefix, {
      PLAN_ENTERPRISE_CHAT_REQUESTS_PER_HOUR: '5000',
      PLAN_PRO_API_KEYS: '25',
    }));
    changes = await readTopic(app, TenantPlanChangedV1);
  });

  afterAll(async () => {
    await changes?.stop();
    await app?.close();
    await db?.drop();
  });

  it('writes the configured limits into control.plans at start, with the product-brief defaults', async () => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ id: string; limits: Record<string, number> }>(
      'SELECT id, limits FROM control.plans ORDER BY id',
    );
    await pg.end();
    const limits = Object.fromEntries(rows.map((r) => [r.id, r.limits]));
    expect(limits.free).toEqual({
      chatRequestsPerHour: 10,
      tokensPerMonth: 100_000,
      sttMinutesPerMonth: 30,
      sttMaxAudioSeconds: 120,
      members: 3,
      apiKeys: 2,
    });
    expect(limits.pro).toMatchObject({ chatRequestsPerHour: 100, apiKeys: 25 });
    expect(limits.enterprise).toMatchObject({ chatRequestsPerHour: 5000 });

    const listed = await call('GET', '/internal/plans');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual(['free', 'pro', 'enterprise']);
    expect(listed.body.items[2]).toEqual({ id: 'enterprise', name: 'Enterprise', limits: limits.enterprise });
  });

  it('changes a plan: the row, an audit entry and tenant.plan-changed.v1 keyed and headed by the tenant', async () => {
    const tenantId = await createTenant(call, 'acme', 'free');
    const changed = await call(
      'PATCH',
      `/internal/tenants/${tenantId}/plan`,
      { plan: 'pro', reason: 'upgraded' },
      { 'x-request-id': 'req-plan', 'x-actor': 'billing' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ tenantId, plan: 'pro', status: 'active' });
    expect((await call('GET', `/internal/tenants/${tenantId}`)).body.plan).toBe('pro');

    const event = await waitFor(() => changes.messages.find((m) => m.key === tenantId), {
      what: 'tenant.plan-changed.v1',
    });
    expect(JSON.parse(event.value ?? '{}')).toEqual({
      tenantId,
      previousPlan: 'free',
      plan: 'pro',
      changedAt: expect.any(String),
    });
    expect(event.headers[BusHeader.TenantId]).toBe(tenantId);
    expect(event.headers[BusHeader.RequestId]).toBe('req-plan');

    const audit = await call('GET', `/internal/tenants/${tenantId}/audit`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['created', 'plan_changed']);
    expect(audit.body.items[1]).toMatchObject({
      actor: 'billing',
      reason: 'upgraded',
      details: { previousPlan: 'free', plan: 'pro' },
    });
  });

  it('treats the same plan again as a no-op: no event, no audit entry', async () => {
    const tenantId = await createTenant(call, 'same-plan', 'pro');
    const again = await call('PATCH', `/internal/tenants/${tenantId}/plan`, { plan: 'pro' });
    expect(again.status).toBe(200);
    const audit = await call('GET', `/internal/tenants/${tenantId}/audit`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['created']);
    await new Promise((r) => setTimeout(r, 300));
    expect(changes.messages.some((m) => m.key === tenantId)).toBe(false);
  });

  it.each([
    ['an unknown plan', { plan: 'platinum' }, {}, 400, 'validation_failed'],
    ['a missing plan', {}, {}, 400, 'validation_failed'],
    ['an unknown field', { plan: 'pro', tenantId: 'x' }, {}, 400, 'validation_failed'],
    ['malformed JSON', '{"plan": ', {}, 400, 'malformed_json'],
    ['a bad actor header', { plan: 'pro' }, { 'x-actor': 'a b' }, 400, 'validation_failed'],
  ])('answers %s with a 4xx and changes nothing', async (_, body, headers, status, code) => {
    const tenantId = await createTenant(call, `bad-${uniqueSuffix()}`, 'free');
    expectProblem(await call('PATCH', `/internal/tenants/${tenantId}/plan`, body, headers), status, code);
    expect((await call('GET', `/internal/tenants/${tenantId}`)).body.plan).toBe('free');
  });

  it('answers an unknown tenant with 404 and a malformed id with 400', async () => {
    const missing = '6f9619ff-8b86-4d11-b42d-00c04fc964ff';
    expectProblem(await call('PATCH', `/internal/tenants/${missing}/plan`, { plan: 'pro' }), 404, 'tenant_not_found');
    expectProblem(await call('PATCH', `/internal/tenants/nope/plan`, { plan: 'pro' }), 400, 'invalid_tenant_id');
    expectProblem(await call('GET', `/internal/tenants/${missing}/audit`), 404, 'tenant_not_found');
  });

  it('applies billing.subscription-changed.v1: the plan billing reports, audited as billing, announced as tenant.plan-changed.v1', async () => {
    const tenantId = await createTenant(call, `billed-${uniqueSuffix()}`, 'free');
    await app.get(TopicAdmin).ensureTopics([app.get(TopicNamer).physical(BillingSubscriptionChangedV1.name)]);
    const message = {
      tenantId,
      plan: 'enterprise' as const,
      status: 'active' as const,
      seats: 5,
      stripeSubscriptionId: 'sub_123',
      sourceEventId: 'evt_123',
      sourceEventCreatedAt: new Date().toISOString(),
      changedAt: new Date().toISOString(),
    };
    const producer = app.get(BusProducer);
    await producer.emit(BillingSubscriptionChangedV1, message);
    await producer.emit(BillingSubscriptionChangedV1, message); // a second publication: a no-op
    await waitFor(async () => (await call('GET', `/internal/tenants/${tenantId}`)).body.plan === 'enterprise', {
      what: 'the plan applied',
    });
    const audit = await call('GET', `/internal/tenants/${tenantId}/audit`);
    expect(audit.body.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['created', expect.any(String)],
      ['plan_changed', 'billing'],
    ]);
    const event = await waitFor(() => changes.messages.find((m) => m.key === tenantId), {
      what: 'tenant.plan-changed.v1',
    });
    expect(JSON.parse(event.value ?? '{}')).toMatchObject({ previousPlan: 'free', plan: 'enterprise' });
  });
});
