import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@parley/testing';
import { tenantSchemaName } from '../context/schema-name';
import { createDataSource } from '../database/create-data-source';
import { provisionTestTenant } from '../test-tenants';
import { migrateControlPlane } from './control-migrator';
import type { SchemaMigration } from './migration';
import { TenantMigrationRunner } from './tenant-migration-runner';
import { TENANT_MIGRATIONS } from './tenant/tenant-migrations';

const TENANTS = 200;
const FAILING_INDEX = 99; // the 100th tenant

/** A migration that fails where a `poison` table exists: the injected failure. */
class ExplodeOnPoison0003 implements SchemaMigration {
  readonly name = '9000-test-explode-on-poison';
  async up(q: QueryRunner): Promise<void> {
    const [row] = await q.query(`SELECT to_regclass('poison') IS NOT NULL AS poisoned`);
    if (row.poisoned) throw new Error('injected failure');
    await q.query('CREATE TABLE migrated_marker (id int)');
  }
}

describe('per-tenant migration runner over 200 schemas', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let ids: string[];
  const [first] = TENANT_MIGRATIONS;
  const target = [...TENANT_MIGRATIONS, new ExplodeOnPoison0003()];

  const ledgerCount = async () =>
    Number((await dataSource.query('SELECT count(*)::int AS n FROM control.tenant_migrations'))[0].n);
  const tablesIn = async (tenantId: string) =>
    (
      await dataSource.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [tenantSchemaName(tenantId)],
      )
    ).map((r) => r.table_name);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource({ url: db.url, poolMax: 8, ssl: false }, 'migration-int-spec');
    await dataSource.initialize();
    await migrateControlPlane(dataSource);
    // 200 tenants at an old schema version: only the first migration applied.
    const old = new TenantMigrationRunner(dataSource, first ? [first] : []);
    ids = [];
    for (let i = 0; i < TENANTS; i++)
      ids.push(await provisionTestTenant(dataSource, old, `t-${String(i).padStart(3, '0')}`));
    await dataSource.query(`CREATE TABLE "${tenantSchemaName(ids[FAILING_INDEX] as string)}".poison (id int)`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('--dry-run reports what would run and changes nothing', async () => {
    const before = await ledgerCount();
    const report = await new TenantMigrationRunner(dataSource, target).run({ dryRun: true });
    expect(report).toMatchObject({ dryRun: true, total: TENANTS, pending: TENANTS, migrated: 0, failed: 0 });
    expect(report.results[0]?.pending).toEqual(target.slice(1).map((m) => m.name));
    expect(await ledgerCount()).toBe(before);
    expect(await tablesIn(ids[0] as string)).toEqual(['audit_events', 'settings']);
  });

  it('migrates every tenant in its own transaction and reports the injected failure at tenant 100', async () => {
    const progress: number[] = [];
    const report = await new TenantMigrationRunner(dataSource, target).run({ onProgress: (_, i) => progress.push(i) });
    expect(report).toMatchObject({ total: TENANTS, migrated: TENANTS - 1, failed: 1, upToDate: 0 });
    expect(progress).toHaveLength(TENANTS);
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      tenantId: ids[FAILING_INDEX],
      slug: 't-099',
      failedMigration: '9000-test-explode-on-poison',
      error: 'injected failure',
    });
    // The failing tenant rolled back whole: not even 0002 and 0003 stayed.
    expect(await tablesIn(ids[FAILING_INDEX] as string)).toEqual(['audit_events', 'poison', 'settings']);
    expect(await tablesIn(ids[FAILING_INDEX + 1] as string)).toEqual([
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
      'migrated_marker',
      'provider_credentials',
      'settings',
      'skills',
      'stt_audio',
      'stt_retention',
      'stt_upstreams',
    ]);
    const version: { schema_version: string }[] = await dataSource.query(
      'SELECT schema_version FROM control.tenants WHERE id = $1',
      [ids[0]],
    );
    expect(version[0]?.schema_version).toBe('9000-test-explode-on-poison');
  });

  it('resumes with --from at the failed tenant once the cause is fixed', async () => {
    await dataSource.query(`DROP TABLE "${tenantSchemaName(ids[FAILING_INDEX] as string)}".poison`);
    const report = await new TenantMigrationRunner(dataSource, target).run({ from: ids[FAILING_INDEX] });
    expect(report).toMatchObject({
      total: TENANTS - FAILING_INDEX,
      migrated: 1,
      upToDate: TENANTS - FAILING_INDEX - 1,
      failed: 0,
    });
    expect(report.results[0]).toMatchObject({
      tenantId: ids[FAILING_INDEX],
      status: 'migrated',
      applied: target.slice(1).map((m) => m.name),
    });
    const again = await new TenantMigrationRunner(dataSource, target).run();
    expect(again).toMatchObject({ total: TENANTS, upToDate: TENANTS, migrated: 0, failed: 0 });
    expect(await ledgerCount()).toBe(TENANTS * target.length);
  });

  it('--tenant runs one tenant (by slug) and rejects an unknown one', async () => {
    const report = await new TenantMigrationRunner(dataSource, target).run({ tenant: 't-005' });
    expect(report.results.map((r) => r.slug)).toEqual(['t-005']);
    await expect(new TenantMigrationRunner(dataSource, target).run({ tenant: 'nope' })).rejects.toThrow(
      /Unknown tenant/,
    );
  });
});
