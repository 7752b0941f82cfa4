import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BusHeader,
  TenantDeletedV1,
  TenantPurgedV1,
  TenantRestoredV1,
  TenantResumedV1,
  TenantSuspendedV1,
  type TopicDefinition,
} from '@parley/contracts';
import { createTestDatabase, uniqueSuffix, waitFor, type TestDatabase, type TopicReader } from '@parley/testing';
import {
  createTenant,
  expectProblem,
  readTopic,
  startTenantApp,
  type Call,
} from '../tenant-state/testing/tenant-test-app';

const MISSING = '6f9619ff-8b86-4d11-b42d-00c04fc964ff';
const TOPICS = [TenantSuspendedV1, TenantResumedV1, TenantDeletedV1, TenantRestoredV1, TenantPurgedV1];

/**
 * Two replicas on one database: `call` deletes with the default 30-day grace period, `short` with
 * a 1-second one. Both run the purge job every 200 ms; its advisory lock lets one work at a time.
 */
describe('tenant suspension, deletion with a grace period, restore and purge', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let pg: Client;
  const apps: INestApplication[] = [];
  let call: Call;
  let short: Call;
  const readers = new Map<string, TopicReader>();
  const purge = { TENANT_PURGE_INTERVAL_MS: '200', TENANT_PURGE_BATCH_SIZE: '1' };

  const eventOf = async (topic: TopicDefinition, tenantId: string) => {
    const reader = readers.get(topic.name) as TopicReader;
    const message = await waitFor(() => reader.messages.find((m) => m.key === tenantId), { what: topic.name });
    expect(message.headers[BusHeader.TenantId]).toBe(tenantId);
    return JSON.parse(message.value ?? '{}');
  };
  const setting = (tenantId: string) => `/internal/tenants/${tenantId}/settings/greeting`;
  const actions = async (tenantId: string) =>
    (await call('GET', `/internal/tenants/${tenantId}/audit`)).body.items.map((e: { action: string }) => e.action);
  const schemaExists = async (tenantId: string) =>
    (await pg.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`tenant_${tenantId.replace(/-/g, '')}`]))
      .rowCount === 1;

  beforeAll(async () => {
    db = await createTestDatabase();
    const long = await startTenantApp(db.url, prefix, purge);
    const brief = await startTenantApp(db.url, prefix, { ...purge, TENANT_DELETION_GRACE_SECONDS: '1' });
    apps.push(long.app, brief.app);
    call = long.call;
    short = brief.call;
    for (const topic of TOPICS) readers.set(topic.name, await readTopic(long.app, topic));
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await Promise.all([...readers.values()].map((r) => r.stop()));
    await pg?.end();
    await Promise.all(apps.map((a) => a.close()));
    await db?.drop();
  });

  it('suspends: writes get 403 tenant_suspended, reads still work; resume lets writes through again', async () => {
    const tenantId = await createTenant(call, 'acme');
    expect((await call('PUT', setting(tenantId), { value: 'hello' })).status).toBe(200);

    const suspended = await call('POST', `/internal/tenants/${tenantId}/suspend`, { reason: 'unpaid invoice' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionReason: 'unpaid invoice' });
    expect(await eventOf(TenantSuspendedV1, tenantId)).toEqual({
      tenantId,
      reason: 'unpaid invoice',
      suspendedAt: suspended.body.suspendedAt,
    });
    expectProblem(await call('PUT', setting(tenantId), { value: 'changed' }), 403, 'tenant_suspended');
    expect((await call('GET', setting(tenantId))).body.value).toBe('hello');
    expect((await call('GET', `/internal/tenants/${tenantId}`)).body.status).toBe('suspended');
    const again = await call('POST', `/internal/tenants/${tenantId}/suspend`, { reason: 'again' });
    expect(again.body).toMatchObject({ status: 'suspended', suspensionReason: 'unpaid invoice' });

    const resumed = await call('POST', `/internal/tenants/${tenantId}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', suspendedAt: null, suspensionReason: null });
    expect(await eventOf(TenantResumedV1, tenantId)).toEqual({ tenantId, resumedAt: expect.any(String) });
    expect((await call('PUT', setting(tenantId), { value: 'changed' })).status).toBe(200);
    expect(await actions(tenantId)).toEqual(['created', 'suspended', 'resumed']);
  });

  it('deletes: status deleted with a purge date, an event, and the tenant refuses every other operation', async () => {
    const tenantId = await createTenant(call, 'deleted-co');
    const deleted = await call('DELETE', `/internal/tenants/${tenantId}`, { reason: 'customer request' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'deleted', purgedAt: null });
    const grace = Date.parse(deleted.body.purgeAfter) - Date.parse(deleted.body.deletedAt);
    expect(grace).toBe(30 * 24 * 3600 * 1000);
    expect(await eventOf(TenantDeletedV1, tenantId)).toEqual({
      tenantId,
      deletedAt: deleted.body.deletedAt,
      purgeAfter: deleted.body.purgeAfter,
    });
    expect((await call('GET', `/internal/tenants/${tenantId}`)).body.status).toBe('deleted');

    expectProblem(await call('GET', setting(tenantId)), 409, 'tenant_deleted');
    expectProblem(await call('PUT', setting(tenantId), { value: 1 }), 409, 'tenant_deleted');
    expectProblem(await call('GET', `/internal/tenants/${tenantId}/features`), 409, 'tenant_deleted');
    expectProblem(await call('PATCH', `/internal/tenants/${tenantId}/plan`, { plan: 'pro' }), 409, 'tenant_deleted');
    expectProblem(await call('POST', `/internal/tenants/${tenantId}/suspend`, { reason: 'x' }), 409, 'tenant_deleted');
    expect((await call('DELETE', `/internal/tenants/${tenantId}`)).body.purgeAfter).toBe(deleted.body.purgeAfter);
    expect(await actions(tenantId)).toEqual(['created', 'deleted']);
  });

  it('restores within the grace period, with its data and its earlier status', async () => {
    const tenantId = await createTenant(call, 'restored-co');
    await call('PUT', setting(tenantId), { value: 'kept' });
    await call('POST', `/internal/tenants/${tenantId}/suspend`, { reason: 'review' });
    await call('DELETE', `/internal/tenants/${tenantId}`);

    const restored = await call('POST', `/internal/tenants/${tenantId}/restore`, { reason: 'mistake' });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'suspended', deletedAt: null, purgeAfter: null });
    expect(await eventOf(TenantRestoredV1, tenantId)).toEqual({
      tenantId,
      status: 'suspended',
      restoredAt: expect.any(String),
    });
    await call('POST', `/internal/tenants/${tenantId}/resume`);
    expect((await call('GET', setting(tenantId))).body.value).toBe('kept');
    expect(await actions(tenantId)).toEqual(['created', 'suspended', 'deleted', 'restored', 'resumed']);
  });

  it('purges after the grace period: schema dropped, row and audit trail kept, restore then 410', async () => {
    const tenantIds = [await createTenant(short, 'purged-a'), await createTenant(short, 'purged-b')];
    for (const tenantId of tenantIds) {
      await short('PUT', setting(tenantId), { value: 'soon gone' });
      expect((await short('DELETE', `/internal/tenants/${tenantId}`)).status).toBe(200);
    }
    for (const tenantId of tenantIds) {
      const event = await eventOf(TenantPurgedV1, tenantId);
      expect(event).toEqual({
        tenantId,
        schemaName: `tenant_${tenantId.replace(/-/g, '')}`,
        purgedAt: expect.any(String),
      });
      expect(await schemaExists(tenantId)).toBe(false);
      const row = (await call('GET', `/internal/tenants/${tenantId}`)).body;
      expect(row).toMatchObject({ tenantId, status: 'deleted', schemaVersion: null });
      expect(await actions(tenantId)).toEqual(['created', 'deleted', 'purged']);
      const ledger = await pg.query('SELECT 1 FROM control.tenant_migrations WHERE tenant_id = $1', [tenantId]);
      expect(ledger.rowCount).toBe(0);

      expectProblem(await call('POST', `/internal/tenants/${tenantId}/restore`), 410, 'tenant_purged');
      expectProblem(await call('GET', setting(tenantId)), 410, 'tenant_purged');
      expectProblem(await call('DELETE', `/internal/tenants/${tenantId}`), 410, 'tenant_purged');
    }
    const audit = await pg.query(`SELECT actor FROM control.tenant_audit WHERE action = 'purged'`);
    expect(audit.rows).toEqual([{ actor: 'system:purge' }, { actor: 'system:purge' }]);
  });

  it('leaves tenants within their grace period and live tenants alone', async () => {
    const live = await createTenant(call, 'live-co');
    const pending = await createTenant(call, 'pending-co');
    await call('DELETE', `/internal/tenants/${pending}`);
    await new Promise((r) => setTimeout(r, 600));
    expect(await schemaExists(live)).toBe(true);
    expect(await schemaExists(pending)).toBe(true);
  });

  it.each([
    ['suspend without a reason', 'POST', 'suspend', {}, 400, 'validation_failed'],
    ['suspend with an empty reason', 'POST', 'suspend', { reason: '' }, 400, 'validation_failed'],
    ['resume with an unknown field', 'POST', 'resume', { force: true }, 400, 'validation_failed'],
    ['restore with a bad reason', 'POST', 'restore', { reason: 42 }, 400, 'validation_failed'],
  ])('answers %s with a 4xx', async (_, method, action, body, status, code) => {
    const tenantId = await createTenant(call, `bad-${uniqueSuffix()}`);
    expectProblem(await call(method, `/internal/tenants/${tenantId}/${action}`, body), status, code);
    expect((await call('GET', `/internal/tenants/${tenantId}`)).body.status).toBe('active');
  });

  it.each(['suspend', 'resume', 'restore'])('answers %s of an unknown tenant with 404', async (action) => {
    expectProblem(
      await call('POST', `/internal/tenants/${MISSING}/${action}`, { reason: 'x' }),
      404,
      'tenant_not_found',
    );
    expectProblem(await call('POST', `/internal/tenants/x/${action}`, { reason: 'x' }), 400, 'invalid_tenant_id');
  });

  it('answers deletion of an unknown tenant with 404', async () => {
    expectProblem(await call('DELETE', `/internal/tenants/${MISSING}`), 404, 'tenant_not_found');
  });
});

describe('deletion in self-hosted mode', () => {
  it('is refused: the deployment keeps its one tenant', async () => {
    const db = await createTestDatabase();
    const { app, call } = await startTenantApp(db.url, `t${uniqueSuffix()}.`, { DEPLOYMENT_MODE: 'self-hosted' });
    try {
      const [tenant] = (await call('GET', '/internal/tenants')).body.items;
      expectProblem(await call('DELETE', `/internal/tenants/${tenant.tenantId}`), 409, 'conflict');
      expect((await call('GET', `/internal/tenants/${tenant.tenantId}`)).body.status).toBe('active');
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
