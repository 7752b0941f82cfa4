import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@parley/testing';
import { createTenant, expectProblem, startTenantApp, type Call } from '../tenant-state/testing/tenant-test-app';

describe('tenant settings in each tenant schema', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let call: Call;
  let acme: string;
  let globex: string;
  const setting = (tenantId: string, key: string) => `/internal/tenants/${tenantId}/settings/${key}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, call } = await startTenantApp(db.url, prefix, { TENANT_SETTING_MAX_BYTES: '1024' }));
    acme = await createTenant(call, 'acme');
    globex = await createTenant(call, 'globex');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('round-trips any JSON value and overwrites it', async () => {
    const value = { theme: 'dark', sizes: [1, 2.5, { nested: null }], beta: true, label: 'café ☕' };
    const put = await call('PUT', setting(acme, 'ui.theme'), { value });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ key: 'ui.theme', value, updatedAt: expect.any(String) });
    expect((await call('GET', setting(acme, 'ui.theme'))).body).toEqual(put.body);

    for (const scalar of ['plain', 42, false, null, [1, 'two']]) {
      expect((await call('PUT', setting(acme, 'chat:default-model'), { value: scalar })).status).toBe(200);
      expect((await call('GET', setting(acme, 'chat:default-model'))).body.value).toEqual(scalar);
    }
  });

  it("another tenant cannot read or write tenant A's settings: the path id decides the schema", async () => {
    await call('PUT', setting(acme, 'secret'), { value: { apiBase: 'https://acme.example' } });
    expectProblem(await call('GET', setting(globex, 'secret')), 404, 'setting_not_found');

    expect((await call('PUT', setting(globex, 'secret'), { value: 'globex-own' })).status).toBe(200);
    expect((await call('GET', setting(acme, 'secret'))).body.value).toEqual({ apiBase: 'https://acme.example' });
    expect((await call('GET', setting(globex, 'secret'))).body.value).toBe('globex-own');
  });

  it('refuses a value over TENANT_SETTING_MAX_BYTES with 413 and keeps the old one', async () => {
    await call('PUT', setting(acme, 'big'), { value: 'small' });
    expectProblem(await call('PUT', setting(acme, 'big'), { value: 'x'.repeat(2000) }), 413, 'payload_too_large');
    expect((await call('GET', setting(acme, 'big'))).body.value).toBe('small');
  });

  it.each([
    ['a missing value', 'k', {}, 400, 'validation_failed'],
    ['an unknown field', 'k', { value: 1, tenantId: 'x' }, 400, 'validation_failed'],
    ['malformed JSON', 'k', '{"value": ', 400, 'malformed_json'],
    ['a bad key', 'bad key!', { value: 1 }, 400, 'validation_failed'],
    ['a too long key', 'k'.repeat(129), { value: 1 }, 400, 'validation_failed'],
    ['a NUL byte', 'k', { value: 'a\u0000b' }, 400, 'validation_failed'],
  ])('answers %s with a 4xx', async (_, key, body, status, code) => {
    expectProblem(await call('PUT', setting(acme, encodeURIComponent(key)), body), status, code);
  });

  it('answers an unknown tenant with 404 and a malformed tenant id with 400, never 500', async () => {
    const missing = '6f9619ff-8b86-4d11-b42d-00c04fc964ff';
    expectProblem(await call('GET', setting(missing, 'k')), 404, 'tenant_not_found');
    expectProblem(await call('PUT', setting(missing, 'k'), { value: 1 }), 404, 'tenant_not_found');
    expectProblem(await call('GET', setting('not-a-tenant', 'k')), 400, 'invalid_tenant_id');
    expectProblem(await call('PUT', setting(acme.toUpperCase(), 'k'), { value: 1 }), 400, 'invalid_tenant_id');
  });
});
