import { Injectable } from '@nestjs/common';
import type { BudgetView, PutBudgetBody } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';
import { BillingAudit } from '../../../access/billing-audit';
import { BudgetsRepository } from '../../budgets.repository';
import { ListBudgetsUseCase } from '../list-budgets/list-budgets.usecase';
import { SyncBillingGateUseCase } from '../sync-billing-gate/sync-billing-gate.usecase';

/**
 * Sets or removes one of the context tenant's budgets, then rewrites its billing gate at once: a
 * cap lowered below this month's spend stops new requests now, a raised one lets them through now.
 * The change is recorded for the audit log (`billing.changed`, `budget`) in its transaction.
 */
@Injectable()
export class PutBudgetUseCase {
  constructor(
    private readonly budgets: BudgetsRepository,
    private readonly gate: SyncBillingGateUseCase,
    private readonly list: ListBudgetsUseCase,
    private readonly audit: BillingAudit,
  ) {}

  async execute(command: PutBudgetBody): Promise<{ items: BudgetView[] }> {
    const tenantId = TenantContext.require();
    await this.budgets.transaction(async (manager) => {
      await this.budgets.put(tenantId, command.scope, command.subjectId ?? '', command.monthlyCapMicros, manager);
      await this.audit.record(
        'budget',
        { type: 'budget', id: `${command.scope}:${command.subjectId ?? ''}` },
        { scope: command.scope, subjectId: command.subjectId ?? null, monthlyCapMicros: command.monthlyCapMicros },
        manager,
      );
    });
    await this.gate.execute(tenantId);
    return this.list.execute();
  }
}
