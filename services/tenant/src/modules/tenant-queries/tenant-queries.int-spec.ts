import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusRequester } from '@parley/bus';
import { TenantGetDefaultV1, TenantGetV1 } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { TenantContext } from '@parley/tenancy';
import { createTestDatabase, serviceFetch, testConfig, uniqueSuffix, type TestDatabase } from '@parley/testing';
import { createTenantApp } from '../../create-app';

async function start(mode: 'cloud' | 'self-hosted', databaseUrl: string) {
  const config = testConfig('tenant', {
    databaseUrl,
    topicPrefix: `t${uniqueSuffix()}.`,
    extra: { DEPLOYMENT_MODE: mode, BUS_REQUEST_TIMEOUT_MS: '5000' },
  });
  const app = await createTenantApp(config, createLogger('tenant', 'silent'));
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl(), requester: app.get(BusRequester) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
const createTenant = async (base: string, slug: string): Promise<any> => {
  const res = await serviceFetch(`${base}/internal/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: slug.toUpperCase(), slug, plan: 'pro' }),
  });
  expect(res.status).toBe(201);
  return res.json();
};

describe('tenant.get.v1 and tenant.get-default.v1 in cloud mode', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let requester: BusRequester;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, base, requester } = await start('cloud', db.url));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers each tenant with its own record, from the context only: another tenant cannot read it', async () => {
    const acme = await createTenant(base, 'acme');
    const globex = await createTenant(base, 'globex');
    const asAcme = await TenantContext.run(acme.tenantId, () => requester.request(TenantGetV1, {}));
    const asGlobex = await TenantContext.run(globex.tenantId, () => requester.request(TenantGetV1, {}));
    expect(asAcme).toEqual({ ...acme, status: 'active', schemaVersion: expect.any(String) });
    expect(asGlobex).toMatchObject({ tenantId: globex.tenantId, slug: 'globex', status: 'active' });
    expect(asGlobex.tenantId).not.toBe(acme.tenantId);
  });

  it('fails closed without a tenant in the message headers', async () => {
    await expect(requester.request(TenantGetV1, {})).rejects.toMatchObject({ code: 'tenant_context_missing' });
  });

  it('answers tenant_not_found for a tenant that does not exist', async () => {
    await expect(
      TenantContext.run('6f9619ff-8b86-4d11-b42d-00c04fc964ff', () => requester.request(TenantGetV1, {})),
    ).rejects.toMatchObject({ code: 'tenant_not_found' });
  });

  it('has no default tenant in cloud mode', async () => {
    await expect(requester.request(TenantGetDefaultV1, {})).rejects.toMatchObject({ code: 'tenant_not_found' });
  });
});

describe('tenant.get-default.v1 in self-hosted mode', () => {
  it('answers the one default tenant', async () => {
    const db = await createTestDatabase();
    const { app, base, requester } = await start('self-hosted', db.url);
    try {
      const listed = (await (await serviceFetch(`${base}/internal/tenants`)).json()) as {
        items: { tenantId: string }[];
      };
      const reply = await requester.request(TenantGetDefaultV1, {});
      expect(reply).toMatchObject({ tenantId: listed.items[0]?.tenantId, slug: 'default', status: 'active' });
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
