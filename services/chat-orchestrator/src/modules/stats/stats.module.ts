import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { GetChatStatsUseCase } from './usecases/get-chat-stats/get-chat-stats.usecase';

/** `/chat/stats`: chat activity per UTC day and per user, from the tenant's messages and conversations. */
@Module({
  controllers: [StatsController],
  providers: [StatsRepository, GetChatStatsUseCase],
})
export class StatsModule {}
