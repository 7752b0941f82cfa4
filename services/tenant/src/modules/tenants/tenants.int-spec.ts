import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusRequester } from '@parley/bus';
import { BusHeader, TenantCreatedV1, TenantCreateV1 } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { TENANT_MIGRATIONS } from '@parley/tenancy';
import {
  createTestDatabase,
  infra,
  testConfig,
  TopicReader,
  serviceFetch,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import { Client } from 'pg';
import { createTenantApp } from '../../create-app';

async function start(mode: 'cloud' | 'self-hosted', databaseUrl: string, prefix: string) {
  const config = testConfig('tenant', {
    databaseUrl,
    topicPrefix: prefix,
    extra: { DEPLOYMENT_MODE: mode, HTTP_BODY_LIMIT_BYTES: '2048' },
  });
  const app = await createTenantApp(config, createLogger('tenant', 'silent'));
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

const post = (base: string, body: string, headers: Record<string, string> = {}) =>
  serviceFetch(`${base}/internal/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('tenant service in cloud mode', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let created: TopicReader;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, base } = await start('cloud', db.url, prefix));
    created = await new TopicReader(infra().KAFKA_BROKERS.split(','), `${prefix}${TenantCreatedV1.name}`).start();
  });

  afterAll(async () => {
    await created?.stop();
    await app?.close();
    await db?.drop();
  });

  it('creates tenants with their own schemas and emits tenant.created.v1 keyed and headed by tenant', async () => {
    const a = await post(base, JSON.stringify({ name: 'Acme', slug: 'acme', plan: 'pro' }), {
      'x-request-id': 'req-acme',
    });
    const b = await post(base, JSON.stringify({ name: 'Globex', slug: 'globex' }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const acme = await json(a);
    const globex = await json(b);
    expect(acme).toMatchObject({ slug: 'acme', plan: 'pro', deploymentMode: 'cloud' });
    expect(globex).toMatchObject({ slug: 'globex', plan: 'free' });
    expect(acme.schemaName).toBe(`tenant_${acme.tenantId.replace(/-/g, '')}`);

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const schemas = await pg.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant_%' ORDER BY 1`);
    await pg.end();
    expect(schemas.rows.map((r) => r.nspname).sort()).toEqual([acme.schemaName, globex.schemaName].sort());

    const event = await waitFor(() => created.messages.find((m) => m.key === acme.tenantId), {
      what: 'tenant.created.v1',
    });
    expect(JSON.parse(event.value ?? '{}')).toEqual({
      tenantId: acme.tenantId,
      name: 'Acme',
      slug: 'acme',
      plan: 'pro',
      deploymentMode: 'cloud',
      schemaName: acme.schemaName,
      createdAt: acme.createdAt,
    });
    expect(event.headers[BusHeader.TenantId]).toBe(acme.tenantId);
    expect(event.headers[BusHeader.RequestId]).toBe('req-acme');

    const listed = await json(serviceFetch(`${base}/internal/tenants?limit=10`));
    expect(listed.total).toBe(2);
    const one = await json(serviceFetch(`${base}/internal/tenants/${globex.tenantId}`));
    expect(one).toMatchObject({ slug: 'globex', status: 'active', schemaVersion: TENANT_MIGRATIONS.at(-1)?.name });
  });

  it('creates a tenant from a tenant.create.v1 command and replies with it', async () => {
    const reply = await app
      .get(BusRequester)
      .request(TenantCreateV1, { name: 'Initech', slug: 'initech', plan: 'enterprise' });
    expect(reply).toMatchObject({ slug: 'initech', plan: 'enterprise' });
    await expect(
      app.get(BusRequester).request(TenantCreateV1, { name: 'Again', slug: 'initech', plan: 'free' }),
    ).rejects.toMatchObject({
      code: 'tenant_slug_taken',
    });
  });

  it.each([
    ['a taken slug', JSON.stringify({ name: 'Acme 2', slug: 'acme' }), 409, 'tenant_slug_taken'],
    ['a bad slug', JSON.stringify({ name: 'Bad', slug: 'Bad Slug!' }), 400, 'validation_failed'],
    ['an unknown field', JSON.stringify({ name: 'X', slug: 'x-co', tenantId: 'mine' }), 400, 'validation_failed'],
    ['a missing name', JSON.stringify({ slug: 'no-name' }), 400, 'validation_failed'],
    ['malformed JSON', '{"name": "x", ', 400, 'malformed_json'],
    ['an oversized body', JSON.stringify({ name: 'x'.repeat(5000), slug: 'big' }), 413, 'payload_too_large'],
    ['a NUL byte', JSON.stringify({ name: 'nul\u0000name', slug: 'nul-co' }), 400, 'validation_failed'],
  ])('answers %s with a clear 4xx and stores nothing', async (_, body, status, code) => {
    const res = await post(base, body);
    expect(res.status).toBe(status);
    const problem = await json(res);
    expect(problem.error).toMatchObject({ code, requestId: expect.any(String) });
    const listed = await json(serviceFetch(`${base}/internal/tenants`));
    expect(listed.total).toBe(3);
  });

  it('answers unknown and malformed tenant ids with 404 and 400', async () => {
    const missing = await serviceFetch(`${base}/internal/tenants/6f9619ff-8b86-4d11-b42d-00c04fc964ff`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('tenant_not_found');
    const bad = await serviceFetch(`${base}/internal/tenants/'; DROP TABLE x;--`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('invalid_tenant_id');
    const route = await fetch(`${base}/nope`);
    expect(route.status).toBe(404);
    expect((await json(route)).error.code).toBe('route_not_found');
  });
});

describe('tenant service in self-hosted mode', () => {
  it('creates exactly one default tenant on first start, keeps it on restart, and refuses a second', async () => {
    const db = await createTestDatabase();
    const prefix = `t${uniqueSuffix()}.`;
    try {
      const first = await start('self-hosted', db.url, prefix);
      const listed = await json(serviceFetch(`${first.base}/internal/tenants`));
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0]).toMatchObject({ slug: 'default', deploymentMode: 'self-hosted' });
      const second = await post(first.base, JSON.stringify({ name: 'Another', slug: 'another' }));
      expect(second.status).toBe(409);
      expect((await json(second)).error.code).toBe('tenant_limit_reached');
      await first.app.close();

      const restarted = await start('self-hosted', db.url, prefix);
      const again = await json(serviceFetch(`${restarted.base}/internal/tenants`));
      expect(again.items.map((t: { tenantId: string }) => t.tenantId)).toEqual([listed.items[0].tenantId]);
      await restarted.app.close();
    } finally {
      await db.drop();
    }
  });
});
