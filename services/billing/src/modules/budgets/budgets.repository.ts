import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { BudgetScope } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';

export interface BudgetSpend {
  scope: BudgetScope;
  subjectId: string;
  capMicros: number;
  spentMicros: number;
  alertMonth: string | null;
}

interface SpendRow {
  scope: BudgetScope;
  subject_id: string;
  monthly_cap_micros: string;
  spent: string;
  alert_month: string | null;
}

/** A query runner inside a transaction, or the pool for a single statement. */
interface Db {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The notices a budget sends: at 80% of its cap (`warning`) and at 100% (`exceeded`). */
export type BudgetNoticeLevel = 'warning' | 'exceeded';

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
  async withSpend(tenantId: string, monthStart: Date, tx: Db = this.db): Promise<BudgetSpend[]> {
    return (await this.spendAndRecorded(tenantId, monthStart, [], tx)).budgets;
  }

  /**
   * The budgets with their spend, and which of `reservations` (usage source ids) the ledger already
   * holds, in ONE statement, so one snapshot: a usage committed meanwhile is either in both the
   * spend and the recorded ids or in neither (the strict cap removes exactly the reservations whose
   * cost the spend now counts).
   */
  async spendAndRecorded(
    tenantId: string,
    monthStart: Date,
    reservations: string[],
    tx: Db = this.db,
  ): Promise<{ budgets: BudgetSpend[]; recorded: string[] }> {
    const rows = (await tx.query(
      `WITH recorded AS (
         SELECT coalesce(array_agg(DISTINCT l.source_id), '{}') AS ids FROM billing.usage_ledger l
          WHERE l.tenant_id = $1 AND l.source_id = ANY($3::text[]))
       SELECT b.scope, b.subject_id, b.monthly_cap_micros::text, b.alert_month,
              (SELECT coalesce(sum(l.cost_micros), 0) FROM billing.usage_ledger l
                WHERE l.tenant_id = b.tenant_id AND l.recorded_at >= $2
                  AND (b.scope = 'tenant'
                       OR (b.scope = 'member' AND l.user_id::text = b.subject_id)
                       OR (b.scope = 'api_key' AND l.api_key_id::text = b.subject_id)))::text AS spent,
              (SELECT ids FROM recorded) AS recorded
         FROM (SELECT 1) one LEFT JOIN billing.budgets b ON b.tenant_id = $1
        ORDER BY b.scope, b.subject_id`,
      [tenantId, monthStart, reservations],
    )) as (Omit<SpendRow, 'scope'> & { scope: BudgetScope | null; recorded: string[] })[];
    return {
      budgets: rows
        .filter((r): r is SpendRow & { recorded: string[] } => r.scope !== null)
        .map((r) => ({
          scope: r.scope,
          subjectId: r.subject_id,
          capMicros: Number(r.monthly_cap_micros),
          spentMicros: Number(r.spent),
          alertMonth: r.alert_month,
        })),
      recorded: rows[0]?.recorded ?? [],
    };
  }

  /**
   * Serialises the tenant's gate writes across replicas (a transaction-scoped advisory lock, the
   * same key as the webhooks' tenant lock): the last writer has read every committed usage.
   */
  async lockTenant(tx: Db, tenantId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('billing:' || $1::text, 0))`, [tenantId]);
  }

  /**
   * Claims a budget's notice for this cap and month; false when it was already claimed, by this
   * replica or another (the primary key: one winner). The 80% one also marks the month's alert.
   */
  async claimNotice(
    tx: Db,
    budget: BudgetSpend & { tenantId: string },
    level: BudgetNoticeLevel,
    month: string,
  ): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO billing.budget_notices (tenant_id, scope, subject_id, level, period, cap_micros, spent_micros)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING tenant_id`,
      [budget.tenantId, budget.scope, budget.subjectId, level, month, budget.capMicros, budget.spentMicros],
    )) as unknown[];
    if (rows.length === 1 && level === 'warning') {
      await tx.query(
        `UPDATE billing.budgets SET alert_month = $4 WHERE tenant_id = $1 AND scope = $2 AND subject_id = $3`,
        [budget.tenantId, budget.scope, budget.subjectId, month],
      );
    }
    return rows.length === 1;
  }

  /** The end of the tenant's grace period after a failed payment, if one runs or ran. */
  async graceUntil(tenantId: string, tx: Db = this.db): Promise<Date | null> {
    const rows = (await tx.query(`SELECT grace_until FROM billing.customers WHERE tenant_id = $1`, [tenantId])) as {
      grace_until: Date | null;
    }[];
    return rows[0]?.grace_until ?? null;
  }
}
