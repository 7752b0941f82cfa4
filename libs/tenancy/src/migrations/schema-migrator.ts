import type { DataSource } from 'typeorm';
import type { SchemaMigration } from './migration';

/** A named schema, its ledger table and the migrations that build it, in order (append only). */
export interface SchemaMigrationPlan {
  schema: string;
  ledgerTable: string;
  /** Advisory lock key shared by every process that migrates this schema. */
  lockKey: number;
  migrations: readonly SchemaMigration[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Refuses identifiers that would need quoting, and migration lists with duplicate names. */
export function assertValidPlan(plan: SchemaMigrationPlan): void {
  for (const name of [plan.schema, plan.ledgerTable]) {
    if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lowercase SQL identifier`);
  }
  const names = plan.migrations.map((m) => m.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Migration "${duplicate}" is listed twice for schema ${plan.schema}`);
}

/**
 * Brings one named schema up to date in one transaction under an advisory lock, recording each
 * applied migration in `<schema>.<ledgerTable>`, so replicas starting together migrate it exactly
 * once and a re-run applies nothing. Returns the names it applied. Used for the control plane and for
 * any schema a service owns (auth).
 */
export async function migrateSchema(dataSource: DataSource, plan: SchemaMigrationPlan): Promise<string[]> {
  assertValidPlan(plan);
  const ledger = `${plan.schema}.${plan.ledgerTable}`;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1)', [plan.lockKey]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${plan.schema}`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS ${ledger} (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = (await runner.query(`SELECT name FROM ${ledger}`)) as { name: string }[];
    const applied = new Set(rows.map((r) => r.name));
    const done: string[] = [];
    for (const migration of plan.migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(runner);
      await runner.query(`INSERT INTO ${ledger} (name) VALUES ($1)`, [migration.name]);
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
