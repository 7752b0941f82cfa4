import { Module } from '@nestjs/common';
import { BillingSchemaModule } from '../billing-schema/billing-schema.module';
import { BudgetsController } from './budgets.controller';
import { BudgetsRepository } from './budgets.repository';
import { ListBudgetsUseCase } from './usecases/list-budgets/list-budgets.usecase';
import { PutBudgetUseCase } from './usecases/put-budget/put-budget.usecase';
import { SyncBillingGateUseCase } from './usecases/sync-billing-gate/sync-billing-gate.usecase';

/** Monthly budgets and the billing gate the request paths read (budgets and dunning). */
@Module({
  imports: [BillingSchemaModule],
  controllers: [BudgetsController],
  providers: [BudgetsRepository, ListBudgetsUseCase, PutBudgetUseCase, SyncBillingGateUseCase],
  exports: [SyncBillingGateUseCase],
})
export class BudgetsModule {}
