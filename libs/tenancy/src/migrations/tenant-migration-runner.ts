import type { DataSource, QueryRunner } from 'typeorm';
import { assertTenantId, tenantSchemaName } from '../context/schema-name';
import type { SchemaMigration } from './migration';
import { TENANT_MIGRATIONS } from './tenant/tenant-migrations';

export interface TenantMigrationOptions {
  /** Only this tenant (id or slug). */
  tenant?: string;
  /** Start at this tenant (id or slug) in the stable order (created_at, id), to resume a run. */
  from?: string;
  /** Report what would run; change nothing. */
  dryRun?: boolean;
  onProgress?: (result: TenantMigrationResult, index: number, total: number) => void;
}

export interface TenantMigrationResult {
  tenantId: string;
  slug: string;
  status: 'migrated' | 'up-to-date' | 'pending' | 'failed';
  applied: string[];
  pending: string[];
  error?: string;
  failedMigration?: string;
  durationMs: number;
}

export interface TenantMigrationReport {
  dryRun: boolean;
  total: number;
  migrated: number;
  upToDate: number;
  pending: number;
  failed: number;
  results: TenantMigrationResult[];
  durationMs: number;
}

interface TenantRow {
  id: string;
  slug: string;
}

/**
 * Per-tenant migrations over every tenant schema: one transaction per tenant (a failure rolls back
 * that tenant only and the run goes on), a ledger in control.tenant_migrations, and a report.
 * Re-running resumes: tenants already up to date are skipped.
 */
export class TenantMigrationRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly migrations: readonly SchemaMigration[] = TENANT_MIGRATIONS,
  ) {}

  get latest(): string | null {
    return this.migrations[this.migrations.length - 1]?.name ?? null;
  }

  /** Creates a tenant's schema and applies every migration, inside the caller's transaction. */
  async provision(runner: QueryRunner, tenantId: string): Promise<string[]> {
    const schema = tenantSchemaName(tenantId);
    await runner.query(`CREATE SCHEMA "${schema}"`);
    return this.applyPending(runner, assertTenantId(tenantId), new Set());
  }

  async run(options: TenantMigrationOptions = {}): Promise<TenantMigrationReport> {
    const started = performance.now();
    const tenants = await this.selectTenants(options);
    const results: TenantMigrationResult[] = [];
    for (const [index, tenant] of tenants.entries()) {
      const result = options.dryRun ? await this.plan(tenant) : await this.migrateOne(tenant);
      results.push(result);
      options.onProgress?.(result, index, tenants.length);
    }
    const count = (status: TenantMigrationResult['status']) => results.filter((r) => r.status === status).length;
    return {
      dryRun: Boolean(options.dryRun),
      total: results.length,
      migrated: count('migrated'),
      upToDate: count('up-to-date'),
      pending: count('pending'),
      failed: count('failed'),
      results,
      durationMs: Math.round(performance.now() - started),
    };
  }

  private async selectTenants(options: TenantMigrationOptions): Promise<TenantRow[]> {
    const all: TenantRow[] = await this.dataSource.query(
      `SELECT id, slug FROM control.tenants WHERE status <> 'deleted' ORDER BY created_at, id`,
    );
    const matches = (row: TenantRow, key: string) => row.id === key || row.slug === key;
    if (options.tenant) {
      const found = all.filter((row) => matches(row, options.tenant as string));
      if (found.length === 0) throw new Error(`Unknown tenant "${options.tenant}"`);
      return found;
    }
    if (options.from) {
      const start = all.findIndex((row) => matches(row, options.from as string));
      if (start < 0) throw new Error(`Unknown tenant "${options.from}" given to --from`);
      return all.slice(start);
    }
    return all;
  }

  private async appliedNames(
    runner: { query(sql: string, params: unknown[]): Promise<unknown> },
    tenantId: string,
  ): Promise<Set<string>> {
    const rows = (await runner.query('SELECT name FROM control.tenant_migrations WHERE tenant_id = $1', [
      tenantId,
    ])) as {
      name: string;
    }[];
    return new Set(rows.map((r) => r.name));
  }

  private async plan(tenant: TenantRow): Promise<TenantMigrationResult> {
    const started = performance.now();
    const applied = await this.appliedNames(this.dataSource, tenant.id);
    const pending = this.migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
    return {
      tenantId: tenant.id,
      slug: tenant.slug,
      status: pending.length ? 'pending' : 'up-to-date',
      applied: [],
      pending,
      durationMs: Math.round(performance.now() - started),
    };
  }

  private async migrateOne(tenant: TenantRow): Promise<TenantMigrationResult> {
    const started = performance.now();
    const runner = this.dataSource.createQueryRunner();
    const progress = { current: undefined as string | undefined };
    try {
      await runner.connect();
      await runner.startTransaction();
      // Serialise with any other runner (or a concurrent provisioning) on the same tenant.
      await runner.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`tenant-migrate:${tenant.id}`]);
      const applied = await this.appliedNames(runner, tenant.id);
      const done = await this.applyPending(runner, assertTenantId(tenant.id), applied, progress);
      await runner.commitTransaction();
      return {
        tenantId: tenant.id,
        slug: tenant.slug,
        status: done.length ? 'migrated' : 'up-to-date',
        applied: done,
        pending: [],
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      return {
        tenantId: tenant.id,
        slug: tenant.slug,
        status: 'failed',
        applied: [],
        pending: this.migrations.map((m) => m.name),
        error: error instanceof Error ? error.message : String(error),
        failedMigration: progress.current,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      await runner.release();
    }
  }

  private async applyPending(
    runner: QueryRunner,
    tenantId: string,
    applied: Set<string>,
    progress: { current?: string } = {},
  ): Promise<string[]> {
    const schema = tenantSchemaName(tenantId);
    await runner.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
    const done: string[] = [];
    for (const migration of this.migrations) {
      if (applied.has(migration.name)) continue;
      progress.current = migration.name;
      await migration.up(runner);
      await runner.query('INSERT INTO control.tenant_migrations (tenant_id, name) VALUES ($1, $2)', [
        tenantId,
        migration.name,
      ]);
      done.push(migration.name);
    }
    if (done.length) {
      await runner.query('UPDATE control.tenants SET schema_version = $2, updated_at = now() WHERE id = $1', [
        tenantId,
        this.latest,
      ]);
    }
    return done;
  }
}
