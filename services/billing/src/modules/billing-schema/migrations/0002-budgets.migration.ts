import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Monthly spending caps: one per tenant, member or API key (`subject_id` '' for the tenant's own),
 * in micro-USD, with the month whose 80% alert was already raised.
 */
export class Budgets0002 implements SchemaMigration {
  readonly name = '0002-budgets';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.budgets (
        tenant_id uuid NOT NULL,
        scope text NOT NULL CHECK (scope IN ('tenant', 'member', 'api_key')),
        subject_id text NOT NULL,
        monthly_cap_micros bigint NOT NULL CHECK (monthly_cap_micros >= 0),
        alert_month text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope, subject_id)
      )`);
    await q.query(
      `CREATE INDEX usage_ledger_tenant_user_idx ON billing.usage_ledger (tenant_id, user_id, recorded_at)`,
    );
    await q.query(
      `CREATE INDEX usage_ledger_tenant_key_idx ON billing.usage_ledger (tenant_id, api_key_id, recorded_at)`,
    );
  }
}
