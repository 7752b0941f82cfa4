import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * The budget notices already sent: the 80% warning and the 100% notice go out once per budget,
 * cap and month (a changed cap is a new budget to be warned about; going back to a cap already
 * warned about this month sends nothing again). The primary key is the claim.
 */
export class BudgetNotices0004 implements SchemaMigration {
  readonly name = '0004-budget-notices';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.budget_notices (
        tenant_id uuid NOT NULL,
        scope text NOT NULL,
        subject_id text NOT NULL,
        level text NOT NULL CHECK (level IN ('warning', 'exceeded')),
        period text NOT NULL,
        cap_micros bigint NOT NULL,
        spent_micros bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope, subject_id, level, period, cap_micros)
      )`);
  }
}
