import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import type { SttPrincipal } from '../principal/stt-principal';
import { GetRetentionUseCase } from './usecases/get-retention/get-retention.usecase';
import { PutRetentionUseCase } from './usecases/put-retention/put-retention.usecase';

/** `/retention` (public: `/api/v1/stt/retention`): whether the tenant keeps uploaded audio. */
@Controller('retention')
@UseGuards(InternalPrincipalGuard)
export class RetentionController {
  constructor(
    private readonly getRetention: GetRetentionUseCase,
    private readonly putRetention: PutRetentionUseCase,
  ) {}

  @Get()
  get(@CurrentPrincipal() principal: SttPrincipal) {
    return this.getRetention.execute({ principal });
  }

  @Put()
  put(@CurrentPrincipal() principal: SttPrincipal, @Body() body: unknown) {
    return this.putRetention.execute({ principal, body });
  }
}
