import { Injectable } from '@nestjs/common';
import type { BudgetView, PutBudgetBody } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';
import { BudgetsRepository } from '../../budgets.repository';
import { ListBudgetsUseCase } from '../list-budgets/list-budgets.usecase';
import { SyncBillingGateUseCase } from '../sync-billing-gate/sync-billing-gate.usecase';

/**
 * Sets or removes one of the context tenant's budgets, then rewrites its billing gate at once: a
 * cap lowered below this month's spend stops new requests now, a raised one lets them through now.
 */
@Injectable()
export class PutBudgetUseCase {
  constructor(
    private readonly budgets: BudgetsRepository,
    private readonly gate: SyncBillingGateUseCase,
    private readonly list: ListBudgetsUseCase,
  ) {}

  async execute(command: PutBudgetBody): Promise<{ items: BudgetView[] }> {
    const tenantId = TenantContext.require();
    await this.budgets.put(tenantId, command.scope, command.subjectId ?? '', command.monthlyCapMicros);
    await this.gate.execute(tenantId);
    return this.list.execute();
  }
}
