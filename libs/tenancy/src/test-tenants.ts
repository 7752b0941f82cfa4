import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { tenantSchemaName } from './context/schema-name';
import type { TenantMigrationRunner } from './migrations/tenant-migration-runner';

/** Test helper: a control-plane tenant row plus its provisioned schema, in one transaction. */
export async function provisionTestTenant(
  dataSource: DataSource,
  runner: TenantMigrationRunner,
  slug: string,
): Promise<string> {
  const id = randomUUID();
  const q = dataSource.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    await q.query(
      `INSERT INTO control.tenants (id, slug, name, plan_id, deployment_mode, schema_name) VALUES ($1, $2, $2, 'free', 'cloud', $3)`,
      [id, slug, tenantSchemaName(id)],
    );
    await runner.provision(q, id);
    await q.commitTransaction();
  } catch (error) {
    await q.rollbackTransaction();
    throw error;
  } finally {
    await q.release();
  }
  return id;
}
