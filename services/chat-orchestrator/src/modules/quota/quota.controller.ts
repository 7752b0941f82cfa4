import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { NoQueryDto } from './dtos/no-query.dto';
import { GetQuotaUseCase } from './usecases/get-quota/get-quota.usecase';

@Controller('chat/quota')
@UseGuards(InternalPrincipalGuard)
export class QuotaController {
  constructor(private readonly getQuota: GetQuotaUseCase) {}

  @Get()
  get(@CurrentPrincipal() principal: ChatPrincipal, @Query() _query: NoQueryDto) {
    return this.getQuota.execute(principal);
  }
}
