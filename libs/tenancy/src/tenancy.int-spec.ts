import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@parley/testing';
import { TenantContext } from './context/tenant-context';
import { tenantSchemaName } from './context/schema-name';
import { createDataSource } from './database/create-data-source';
import { TenantDb } from './database/tenant-db';
import { migrateControlPlane } from './migrations/control-migrator';
import { TenantMigrationRunner } from './migrations/tenant-migration-runner';
import { provisionTestTenant } from './test-tenants';

describe('tenant isolation on the real Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let tenantDb: TenantDb;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection in the pool: every query below reuses the same pooled connection.
    dataSource = createDataSource({ url: db.url, poolMax: 1, ssl: false }, 'tenancy-int-spec');
    await dataSource.initialize();
    await migrateControlPlane(dataSource);
    const runner = new TenantMigrationRunner(dataSource);
    tenantA = await provisionTestTenant(dataSource, runner, 'acme');
    tenantB = await provisionTestTenant(dataSource, runner, 'globex');
    tenantDb = new TenantDb(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('creates one schema per tenant, each with the tenant tables', async () => {
    const rows: { table_schema: string; table_name: string }[] = await dataSource.query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1) ORDER BY 1, 2`,
      [[tenantSchemaName(tenantA), tenantSchemaName(tenantB)]],
    );
    for (const tenant of [tenantA, tenantB]) {
      const tables = rows.filter((r) => r.table_schema === tenantSchemaName(tenant)).map((r) => r.table_name);
      expect(tables).toEqual([
        'analytics_consent',
        'analytics_events',
        'analytics_messages',
        'analytics_usage',
        'audit_events',
        'audit_log',
        'audit_log_anchor',
        'conversations',
        'message_feedback',
        'messages',
        'provider_credentials',
        'settings',
        'skills',
        'stt_audio',
        'stt_retention',
        'stt_upstreams',
      ]);
    }
  });

  it('keeps a row written in one tenant invisible from the other', async () => {
    await TenantContext.run(tenantA, () =>
      tenantDb.run((scope) => scope.query(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`)),
    );
    const seenByA = await TenantContext.run(tenantA, () =>
      tenantDb.run((scope) => scope.query('SELECT key FROM settings')),
    );
    const seenByB = await TenantContext.run(tenantB, () =>
      tenantDb.run((scope) => scope.query('SELECT key FROM settings')),
    );
    expect(seenByA).toEqual([{ key: 'theme' }]);
    expect(seenByB).toEqual([]);
  });

  it('refuses tenant data access without a tenant in context', async () => {
    await expect(tenantDb.run((scope) => scope.query('SELECT 1'))).rejects.toMatchObject({
      code: 'tenant_context_missing',
    });
  });

  it('never leaks the tenant search_path to the next user of the pooled connection', async () => {
    const inside = await TenantContext.run(tenantA, () =>
      tenantDb.run((scope) =>
        scope.query<{ pid: number; path: string }>('SELECT pg_backend_pid() AS pid, current_setting($1) AS path', [
          'search_path',
        ]),
      ),
    );
    const after: { pid: number; path: string }[] = await dataSource.query(
      `SELECT pg_backend_pid() AS pid, current_setting('search_path') AS path`,
    );
    expect(inside[0]?.path).toBe(`"${tenantSchemaName(tenantA)}"`);
    expect(after[0]?.pid).toBe(inside[0]?.pid); // the same pooled connection
    expect(after[0]?.path).toBe('"$user", public');
  });

  it('refuses a bare SET search_path inside a tenant scope, so it cannot outlive the transaction', async () => {
    await expect(
      TenantContext.run(tenantA, () =>
        tenantDb.run((scope) => scope.query(`SET search_path TO "${tenantSchemaName(tenantB)}"`)),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/search_path/) });
    await expect(
      TenantContext.run(tenantA, () =>
        tenantDb.run((scope) => scope.query(`select set_config('search_path', 'public', false)`)),
      ),
    ).rejects.toThrow(/search_path/);
    const after: { path: string }[] = await dataSource.query(`SELECT current_setting('search_path') AS path`);
    expect(after[0]?.path).toBe('"$user", public');
  });

  it('shows why: a bare SET outside a transaction does persist on the pooled connection', async () => {
    await dataSource.query(`SET search_path TO "${tenantSchemaName(tenantB)}"`);
    const leaked: { path: string }[] = await dataSource.query(`SELECT current_setting('search_path') AS path`);
    expect(leaked[0]?.path).toContain(tenantSchemaName(tenantB));
    await dataSource.query('RESET search_path');
  });

  it('rejects an invalid tenant id before any SQL runs', async () => {
    await expect(
      Promise.resolve().then(() =>
        TenantContext.run('not-a-uuid', () => tenantDb.run((scope) => scope.query('SELECT 1'))),
      ),
    ).rejects.toMatchObject({ code: 'invalid_tenant_id' });
  });

  describe('one-statement access (TenantDb.statement)', () => {
    it('reads and writes the context tenant only', async () => {
      await TenantContext.run(tenantB, () =>
        tenantDb.statement(`INSERT INTO {schema}.settings (key, value) VALUES ($1, $2)`, ['locale', '"fr"']),
      );
      const seenByB = await TenantContext.run(tenantB, () =>
        tenantDb.statement(`SELECT key FROM {schema}.settings WHERE key = $1`, ['locale']),
      );
      const seenByA = await TenantContext.run(tenantA, () =>
        tenantDb.statement(`SELECT key FROM {schema}.settings WHERE key = $1`, ['locale']),
      );
      expect(seenByB).toEqual([{ key: 'locale' }]);
      expect(seenByA).toEqual([]);
    });

    it('fails closed: no tenant in context, a search_path change, or tables not named {schema}.table', async () => {
      await expect(tenantDb.statement('SELECT key FROM {schema}.settings')).rejects.toMatchObject({
        code: 'tenant_context_missing',
      });
      await expect(
        TenantContext.run(tenantA, () => tenantDb.statement(`SELECT set_config('search_path', 'public', false)`)),
      ).rejects.toMatchObject({ code: 'tenant_context_missing' });
      await expect(
        TenantContext.run(tenantA, () => tenantDb.statement('SELECT key FROM settings')),
      ).rejects.toMatchObject({ code: 'tenant_context_missing' });
    });

    it('cannot carry a second statement', async () => {
      await expect(
        TenantContext.run(tenantA, () =>
          tenantDb.statement('SELECT 1 FROM {schema}.settings; DROP TABLE {schema}.settings', []),
        ),
      ).rejects.toMatchObject({ code: 'tenant_context_missing' });
      const still = await TenantContext.run(tenantA, () =>
        tenantDb.statement('SELECT count(*)::int AS n FROM {schema}.settings'),
      );
      expect(still).toHaveLength(1);
    });
  });
});
