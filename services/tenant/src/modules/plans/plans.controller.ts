import { Body, Controller, Get, Headers, Param, Patch } from '@nestjs/common';
import { ChangePlanDto } from './dtos/change-plan.dto';
import { ChangePlanCommand } from './usecases/change-plan/change-plan.command';
import { ChangePlanUseCase } from './usecases/change-plan/change-plan.usecase';
import { ListPlansUseCase } from './usecases/list-plans/list-plans.usecase';

/** Internal plans API: the plans with their limits, and a tenant's plan change (billing calls it). */
@Controller('internal')
export class PlansController {
  constructor(
    private readonly listPlans: ListPlansUseCase,
    private readonly changePlan: ChangePlanUseCase,
  ) {}

  @Get('plans')
  list() {
    return this.listPlans.execute();
  }

  @Patch('tenants/:tenantId/plan')
  change(@Param('tenantId') tenantId: string, @Body() body: ChangePlanDto, @Headers('x-actor') actor?: string) {
    return this.changePlan.execute(ChangePlanCommand.create({ tenantId, actor, plan: body.plan, reason: body.reason }));
  }
}
