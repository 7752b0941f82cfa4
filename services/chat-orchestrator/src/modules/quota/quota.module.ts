import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { ChatLimits } from './chat-limits';
import { QuotaController } from './quota.controller';
import { TokenUsageStore } from './token-usage.store';
import { GetQuotaUseCase } from './usecases/get-quota/get-quota.usecase';

/** The plan's chat limits: monthly tokens and hourly requests, counted in Redis. */
@Module({
  imports: [ConversationsModule],
  controllers: [QuotaController],
  providers: [ChatLimits, TokenUsageStore, GetQuotaUseCase],
  exports: [ChatLimits, TokenUsageStore],
})
export class QuotaModule {}
