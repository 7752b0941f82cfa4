import type { DataSource } from 'typeorm';
import type { SchemaMigration } from './migration';
import { CONTROL_MIGRATIONS } from './control/control-migrations';

/** Advisory lock key shared by every process that migrates the control plane. */
const CONTROL_LOCK = 7_134_001;

/**
 * Brings the control schema up to date in one transaction under an advisory lock, so several
 * replicas starting at once migrate it exactly once. Returns the names it applied.
 */
export async function migrateControlPlane(
  dataSource: DataSource,
  migrations: readonly SchemaMigration[] = CONTROL_MIGRATIONS,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1)', [CONTROL_LOCK]);
    await runner.query('CREATE SCHEMA IF NOT EXISTS control');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS control.control_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = (await runner.query('SELECT name FROM control.control_migrations')) as { name: string }[];
    const applied = new Set(rows.map((r) => r.name));
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(runner);
      await runner.query('INSERT INTO control.control_migrations (name) VALUES ($1)', [migration.name]);
      done.push(migration.name);
    }
    await runner.commitTransaction();
    return done;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
