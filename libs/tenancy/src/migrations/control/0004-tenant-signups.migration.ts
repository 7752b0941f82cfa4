import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * The sign-up saga's memory in the tenant service: which sign-up created which tenant
 * (`created`), and which sign-ups auth abandoned (`abandoned`, kept so a late `tenant.create.v2`
 * for one creates nothing). No foreign key: an abandoned sign-up's tenant row is deleted.
 */
export class TenantSignups0004 implements SchemaMigration {
  readonly name = '0004-tenant-signups';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE control.tenant_signups (
        signup_id uuid PRIMARY KEY,
        tenant_id uuid,
        status text NOT NULL CHECK (status IN ('created', 'abandoned')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX tenant_signups_tenant_idx ON control.tenant_signups (tenant_id)`);
  }
}
