import type { DataSource } from 'typeorm';
import type { SchemaMigration } from './migration';
import { CONTROL_MIGRATIONS } from './control/control-migrations';
import { migrateSchema } from './schema-migrator';

/** Advisory lock key shared by every process that migrates the control plane. */
const CONTROL_LOCK = 7_134_001;

/**
 * Brings the control schema up to date in one transaction under an advisory lock, so several
 * replicas starting at once migrate it exactly once. Returns the names it applied.
 */
export function migrateControlPlane(
  dataSource: DataSource,
  migrations: readonly SchemaMigration[] = CONTROL_MIGRATIONS,
): Promise<string[]> {
  return migrateSchema(dataSource, {
    schema: 'control',
    ledgerTable: 'control_migrations',
    lockKey: CONTROL_LOCK,
    migrations,
  });
}
