import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, BusRequester } from '@parley/bus';
import { TenantCreateV1, TenantCreateV2, TenantSignupAbandonedV1 } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { createTestDatabase, testConfig, uniqueSuffix, waitFor, type TestDatabase } from '@parley/testing';
import { Client } from 'pg';
import { createTenantApp } from '../../create-app';
import { AbandonSignupUseCase } from './usecases/abandon-signup/abandon-signup.usecase';
import { PruneTenantSignupsUseCase } from './usecases/prune-tenant-signups/prune-tenant-signups.usecase';

/**
 * The tenant service's half of the sign-up saga, over real Kafka and Postgres: the sign-up id
 * recorded with the tenant, a redelivered command answered with the same tenant, the compensation
 * (`tenant.signup-abandoned.v1`) removing the tenant and freeing its slug, and a command that
 * arrives after its sign-up was abandoned creating nothing, and the settled rows pruned after
 * TENANT_SIGNUPS_RETENTION_MS (7 days by default) while recent ones stay.
 */
describe('tenant service: sign-ups', () => {
  const prefix = `ts${uniqueSuffix()}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let pg: Client;

  const abandon = (signupId: string, slug: string) =>
    app.get(BusProducer).emit(TenantSignupAbandonedV1, {
      signupId,
      slug,
      reason: 'reply_timeout',
      abandonedAt: new Date().toISOString(),
    });

  const signupStatus = async (signupId: string) =>
    (
      await pg.query<{ status: string; tenant_id: string | null }>(
        'SELECT status, tenant_id FROM control.tenant_signups WHERE signup_id = $1',
        [signupId],
      )
    ).rows[0];

  const tenantIdsWithSlug = async (slug: string) =>
    (await pg.query<{ id: string }>('SELECT id FROM control.tenants WHERE slug = $1', [slug])).rows.map((r) => r.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig('tenant', {
      databaseUrl: db.url,
      topicPrefix: prefix,
      extra: { DEPLOYMENT_MODE: 'cloud' },
    });
    app = await createTenantApp(config, createLogger('tenant', 'silent'));
    await app.listen(0, '127.0.0.1');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await db?.drop();
  });

  it('records the sign-up with its tenant and answers a redelivered command with the same tenant', async () => {
    const signupId = randomUUID();
    const command = { signupId, name: 'Hooli', slug: `hooli-${uniqueSuffix()}`, plan: 'free' } as const;
    const first = await app.get(BusRequester).request(TenantCreateV2, command);
    const again = await app.get(BusRequester).request(TenantCreateV2, command);
    expect(again).toEqual(first);
    expect(await tenantIdsWithSlug(command.slug)).toEqual([first.tenantId]);
    expect(await signupStatus(signupId)).toEqual({ status: 'created', tenant_id: first.tenantId });
  });

  it('on the compensation, removes the tenant and its schema, frees the slug, and ignores a repeat', async () => {
    const signupId = randomUUID();
    const slug = `initrode-${uniqueSuffix()}`;
    const created = await app
      .get(BusRequester)
      .request(TenantCreateV2, { signupId, name: 'Initrode', slug, plan: 'free' });
    await abandon(signupId, slug);
    await waitFor(async () => (await signupStatus(signupId))?.status === 'abandoned', { what: 'the compensation' });
    expect(await tenantIdsWithSlug(slug)).toEqual([]);
    const schemas = await pg.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
      created.schemaName,
    ]);
    expect(schemas.rows).toEqual([]);
    const announced = await pg.query<{ topic: string }>(
      `SELECT topic FROM control.outbox WHERE value->>'tenantId' = $1 ORDER BY created_at, topic`,
      [created.tenantId],
    );
    expect(announced.rows.map((r) => r.topic).sort()).toEqual(
      ['tenant.created.v1', 'tenant.deleted.v1', 'tenant.purged.v1'].sort(),
    );

    // The slug is free: an operator takes it; a repeated compensation must not touch that tenant.
    const reused = await app.get(BusRequester).request(TenantCreateV1, { name: 'Initrode 2', slug, plan: 'pro' });
    const repeat = { signupId, slug, reason: 'reply_timeout', abandonedAt: new Date().toISOString() };
    expect(await app.get(AbandonSignupUseCase).execute(repeat)).toBe('already_abandoned');
    expect(await tenantIdsWithSlug(slug)).toEqual([reused.tenantId]);
  });

  it('a command that arrives after its sign-up was abandoned creates nothing', async () => {
    const signupId = randomUUID();
    const slug = `late-${uniqueSuffix()}`;
    await abandon(signupId, slug);
    await waitFor(async () => (await signupStatus(signupId))?.status === 'abandoned', { what: 'the abandonment' });
    await expect(
      app.get(BusRequester).request(TenantCreateV2, { signupId, name: 'Late', slug, plan: 'free' }),
    ).rejects.toMatchObject({ code: 'signup_abandoned' });
    expect(await tenantIdsWithSlug(slug)).toEqual([]);
    expect(await signupStatus(signupId)).toEqual({ status: 'abandoned', tenant_id: null });
  });

  it('prunes created and abandoned rows whose last change is past the retention, and keeps recent ones', async () => {
    const row = async (status: 'created' | 'abandoned', age: string) => {
      const signupId = randomUUID();
      await pg.query(
        `INSERT INTO control.tenant_signups (signup_id, tenant_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, now() - $4::interval, now() - $4::interval)`,
        [signupId, status === 'created' ? randomUUID() : null, status, age],
      );
      return signupId;
    };
    const oldCreated = await row('created', '8 days');
    const oldAbandoned = await row('abandoned', '8 days');
    const recentCreated = await row('created', '6 days');
    const recentAbandoned = await row('abandoned', '1 hour');

    expect(await app.get(PruneTenantSignupsUseCase).execute()).toBeGreaterThanOrEqual(2);

    expect(await signupStatus(oldCreated)).toBeUndefined();
    expect(await signupStatus(oldAbandoned)).toBeUndefined();
    expect((await signupStatus(recentCreated))?.status).toBe('created');
    expect((await signupStatus(recentAbandoned))?.status).toBe('abandoned');
    // A second pass has nothing left past the retention.
    expect(await app.get(PruneTenantSignupsUseCase).execute()).toBe(0);
  });
});
