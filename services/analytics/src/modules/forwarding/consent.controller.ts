import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import type { AnalyticsPrincipal } from '../principal/analytics-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { GetConsentUseCase } from './usecases/get-consent/get-consent.usecase';
import { SetConsentUseCase } from './usecases/set-consent/set-consent.usecase';

/** `/analytics/consent` (public: `/api/v1/analytics/consent`): owners and admins. */
@Controller('analytics/consent')
@UseGuards(InternalPrincipalGuard)
export class ConsentController {
  constructor(
    private readonly getConsent: GetConsentUseCase,
    private readonly setConsent: SetConsentUseCase,
  ) {}

  @Get()
  get(@CurrentPrincipal() principal: AnalyticsPrincipal) {
    return this.getConsent.execute(principal);
  }

  @Put()
  put(@CurrentPrincipal() principal: AnalyticsPrincipal, @Body() body: unknown) {
    return this.setConsent.execute(principal, body);
  }
}
