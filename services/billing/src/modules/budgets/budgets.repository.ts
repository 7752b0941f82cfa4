import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { BudgetScope } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import { returning } from '../../common/returning';

export interface BudgetSpend {
  scope: BudgetScope;
  subjectId: string;
  capMicros: number;
  spentMicros: number;
  alertMonth: string | null;
}

/** Budgets and their spend this month, from the ledger (the one source of usage). */
@Injectable()
export class BudgetsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async put(
    tenantId: string,
    scope: BudgetScope,
    subjectId: string,
    capMicros: number | null,
    runner: DataSource | EntityManager = this.db,
  ): Promise<void> {
    if (capMicros === null) {
      await runner.query(`DELETE FROM billing.budgets WHERE tenant_id = $1 AND scope = $2 AND subject_id = $3`, [
        tenantId,
        scope,
        subjectId,
      ]);
      return;
    }
    await runner.query(
      `INSERT INTO billing.budgets (tenant_id, scope, subject_id, monthly_cap_micros) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, scope, subject_id) DO UPDATE SET monthly_cap_micros = EXCLUDED.monthly_cap_micros,
              updated_at = now()`,
      [tenantId, scope, subjectId, capMicros],
    );
  }

  /** Every budget of the tenant with what its subject spent since `monthStart`. */
  async withSpend(tenantId: string, monthStart: Date): Promise<BudgetSpend[]> {
    const rows: {
      scope: BudgetScope;
      subject_id: string;
      monthly_cap_micros: string;
      spent: string;
      alert_month: string | null;
    }[] = await this.db.query(
      `SELECT b.scope, b.subject_id, b.monthly_cap_micros::text, b.alert_month,
              (SELECT coalesce(sum(l.cost_micros), 0) FROM billing.usage_ledger l
                WHERE l.tenant_id = b.tenant_id AND l.recorded_at >= $2
                  AND (b.scope = 'tenant'
                       OR (b.scope = 'member' AND l.user_id::text = b.subject_id)
                       OR (b.scope = 'api_key' AND l.api_key_id::text = b.subject_id)))::text AS spent
         FROM billing.budgets b WHERE b.tenant_id = $1 ORDER BY b.scope, b.subject_id`,
      [tenantId, monthStart],
    );
    return rows.map((r) => ({
      scope: r.scope,
      subjectId: r.subject_id,
      capMicros: Number(r.monthly_cap_micros),
      spentMicros: Number(r.spent),
      alertMonth: r.alert_month,
    }));
  }

  /** Marks the alert raised for this month; false when it already was (each alert once a month). */
  async raiseAlert(tenantId: string, scope: BudgetScope, subjectId: string, month: string): Promise<boolean> {
    const rows = returning(
      await this.db.query(
        `UPDATE billing.budgets SET alert_month = $4
          WHERE tenant_id = $1 AND scope = $2 AND subject_id = $3 AND alert_month IS DISTINCT FROM $4
          RETURNING tenant_id`,
        [tenantId, scope, subjectId, month],
      ),
    );
    return rows.length === 1;
  }

  /** The end of the tenant's grace period after a failed payment, if one runs or ran. */
  async graceUntil(tenantId: string): Promise<Date | null> {
    const rows: { grace_until: Date | null }[] = await this.db.query(
      `SELECT grace_until FROM billing.customers WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]?.grace_until ?? null;
  }
}
