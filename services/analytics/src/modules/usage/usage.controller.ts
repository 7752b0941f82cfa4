import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { AnalyticsPrincipal } from '../principal/analytics-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { GetUsageQuery } from './usecases/get-usage/get-usage.query';
import { GetUsageUseCase } from './usecases/get-usage/get-usage.usecase';

/** `/analytics/usage` (public: `/api/v1/analytics/usage`). */
@Controller('analytics/usage')
@UseGuards(InternalPrincipalGuard)
export class UsageController {
  constructor(private readonly getUsage: GetUsageUseCase) {}

  @Get()
  get(@CurrentPrincipal() principal: AnalyticsPrincipal, @Query() query: unknown) {
    return this.getUsage.execute(GetUsageQuery.create(principal, query));
  }
}
