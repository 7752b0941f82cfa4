import { Injectable } from '@nestjs/common';
import { BUDGET_ALERT_RATIO, type BudgetView } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';
import { BudgetsRepository } from '../../budgets.repository';
import { monthOf } from '../../month-window';

/** The context tenant's budgets with this month's spend, alert and exceeded state. */
@Injectable()
export class ListBudgetsUseCase {
  constructor(private readonly budgets: BudgetsRepository) {}

  async execute(now = new Date()): Promise<{ items: BudgetView[] }> {
    const month = monthOf(now);
    const rows = await this.budgets.withSpend(TenantContext.require(), month.start);
    return {
      items: rows.map((b) => ({
        scope: b.scope,
        subjectId: b.scope === 'tenant' ? null : b.subjectId,
        monthlyCapMicros: b.capMicros,
        spentMicros: b.spentMicros,
        alert: b.spentMicros >= b.capMicros * BUDGET_ALERT_RATIO,
        exceeded: b.spentMicros >= b.capMicros,
        resetAt: month.resetAt.toISOString(),
      })),
    };
  }
}
