import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Tenant lifecycle in the control plane: suspension and deletion with a grace period on
 * `tenants`, per-tenant feature flag overrides, and the audit trail of every change (kept after the
 * tenant's schema is purged: the row and its history stay).
 */
export class TenantLifecycle0003 implements SchemaMigration {
  readonly name = '0003-tenant-lifecycle';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE control.tenants
        ADD COLUMN suspended_at timestamptz,
        ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500),
        ADD COLUMN deleted_at timestamptz,
        ADD COLUMN purge_after timestamptz,
        ADD COLUMN purged_at timestamptz,
        ADD CONSTRAINT tenants_purge_check CHECK (purged_at IS NULL OR status = 'deleted')`);
    await q.query(
      `CREATE INDEX tenants_purge_due_idx ON control.tenants (purge_after) WHERE status = 'deleted' AND purged_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE control.tenant_features (
        tenant_id uuid NOT NULL REFERENCES control.tenants(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
    await q.query(`
      CREATE TABLE control.tenant_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES control.tenants(id),
        action text NOT NULL CHECK (action IN (
          'created', 'plan_changed', 'feature_changed', 'suspended', 'resumed', 'deleted', 'restored', 'purged'
        )),
        actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
        reason text CHECK (length(reason) <= 500),
        details jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenant_audit_tenant_idx ON control.tenant_audit (tenant_id, id)`);
    // Tenants created before the trail existed start it with their creation.
    await q.query(`
      INSERT INTO control.tenant_audit (tenant_id, action, actor, at)
      SELECT id, 'created', 'system:migration', created_at FROM control.tenants`);
  }
}
