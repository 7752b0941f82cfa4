import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusHeader, TenantFeaturesChangedV1 } from '@parley/contracts';
import { createTestDatabase, uniqueSuffix, waitFor, type TestDatabase, type TopicReader } from '@parley/testing';
import {
  createTenant,
  expectProblem,
  readTopic,
  startTenantApp,
  type Call,
} from '../tenant-state/testing/tenant-test-app';

describe('feature flags: global defaults from FEATURE_*, per-tenant overrides', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let call: Call;
  let events: TopicReader;
  let acme: string;
  let globex: string;
  const features = (tenantId: string) => `/internal/tenants/${tenantId}/features`;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, call } = await startTenantApp(db.url, prefix, { FEATURE_VOICE_INPUT: 'false', FEATURE_EXPORT: 'true' }));
    events = await readTopic(app, TenantFeaturesChangedV1);
    acme = await createTenant(call, 'acme');
    globex = await createTenant(call, 'globex');
  });

  afterAll(async () => {
    await events?.stop();
    await app?.close();
    await db?.drop();
  });

  it('gives every tenant the global defaults', async () => {
    const flags = await call('GET', features(acme));
    expect(flags.status).toBe(200);
    expect(flags.body).toEqual({ tenantId: acme, flags: { export: true, voice_input: false }, overrides: {} });
  });

  it('lets a tenant override win, leaves other tenants alone, and announces the change', async () => {
    const on = await call('PUT', `${features(acme)}/voice_input`, { enabled: true }, { 'x-request-id': 'req-flag' });
    expect(on.status).toBe(200);
    expect(on.body.flags).toEqual({ export: true, voice_input: true });
    const off = await call('PUT', `${features(acme)}/export`, { enabled: false });
    expect(off.body).toEqual({
      tenantId: acme,
      flags: { export: false, voice_input: true },
      overrides: { export: false, voice_input: true },
    });
    expect((await call('GET', features(globex))).body.flags).toEqual({ export: true, voice_input: false });

    const event = await waitFor(() => events.messages.find((m) => m.headers[BusHeader.RequestId] === 'req-flag'), {
      what: 'tenant.features-changed.v1',
    });
    expect(event.key).toBe(acme);
    expect(event.headers[BusHeader.TenantId]).toBe(acme);
    expect(JSON.parse(event.value ?? '{}')).toEqual({
      tenantId: acme,
      name: 'voice_input',
      override: true,
      flags: { export: true, voice_input: true },
      changedAt: expect.any(String),
    });
  });

  it('clears an override: the global default applies again', async () => {
    const cleared = await call('DELETE', `${features(acme)}/export`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.flags.export).toBe(true);
    expect(cleared.body.overrides).toEqual({ voice_input: true });
    await waitFor(() => events.messages.find((m) => m.key === acme && m.value?.includes('"override":null')), {
      what: 'the cleared override announced',
    });
    const audit = await call('GET', `/internal/tenants/${acme}/audit`);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'feature_changed')).toHaveLength(3);
  });

  it.each([
    ['an undeclared flag', 'teleport', { enabled: true }, 404, 'feature_not_found'],
    ['a malformed flag name', 'Voice-Input', { enabled: true }, 400, 'validation_failed'],
    ['a non-boolean', 'export', { enabled: 'yes' }, 400, 'validation_failed'],
    ['a null (clearing is DELETE)', 'export', { enabled: null }, 400, 'validation_failed'],
    ['an unknown field', 'export', { enabled: true, scope: 'all' }, 400, 'validation_failed'],
  ])('answers %s with a 4xx and changes nothing', async (_, name, body, status, code) => {
    expectProblem(await call('PUT', `${features(globex)}/${name}`, body), status, code);
    expect((await call('GET', features(globex))).body.overrides).toEqual({});
  });

  it('refuses flag changes for a suspended tenant with 403 tenant_suspended', async () => {
    const tenantId = await createTenant(call, 'suspended-co');
    expect((await call('POST', `/internal/tenants/${tenantId}/suspend`, { reason: 'abuse' })).status).toBe(200);
    expectProblem(await call('PUT', `${features(tenantId)}/export`, { enabled: false }), 403, 'tenant_suspended');
    expect((await call('GET', features(tenantId))).body.flags.export).toBe(true);
  });

  it('answers an unknown tenant with 404', async () => {
    const missing = '6f9619ff-8b86-4d11-b42d-00c04fc964ff';
    expectProblem(await call('GET', features(missing)), 404, 'tenant_not_found');
    expectProblem(await call('PUT', `${features(missing)}/export`, { enabled: true }), 404, 'tenant_not_found');
  });
});
