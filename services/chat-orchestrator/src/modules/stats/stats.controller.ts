import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { GetChatStatsQuery } from './usecases/get-chat-stats/get-chat-stats.query';
import { GetChatStatsUseCase } from './usecases/get-chat-stats/get-chat-stats.usecase';

/** `/chat/stats` (public: `/api/v1/chat/stats`). */
@Controller('chat/stats')
@UseGuards(InternalPrincipalGuard)
export class StatsController {
  constructor(private readonly getStats: GetChatStatsUseCase) {}

  @Get()
  get(@CurrentPrincipal() principal: ChatPrincipal, @Query() query: unknown) {
    return this.getStats.execute(GetChatStatsQuery.create(principal, query));
  }
}
