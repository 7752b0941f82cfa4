import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { parseInput, putBudgetBodySchema, type BudgetView } from '@parley/contracts';
import { BillingAccessGuard } from '../access/billing-access.guard';
import { ListBudgetsUseCase } from './usecases/list-budgets/list-budgets.usecase';
import { PutBudgetUseCase } from './usecases/put-budget/put-budget.usecase';

@Controller('billing/budgets')
@UseGuards(BillingAccessGuard)
export class BudgetsController {
  constructor(
    private readonly listBudgets: ListBudgetsUseCase,
    private readonly putBudget: PutBudgetUseCase,
  ) {}

  @Get()
  list(): Promise<{ items: BudgetView[] }> {
    return this.listBudgets.execute();
  }

  @Put()
  put(@Body() body: unknown): Promise<{ items: BudgetView[] }> {
    return this.putBudget.execute(parseInput(putBudgetBodySchema, body, 'budget'));
  }
}
