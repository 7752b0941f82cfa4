import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { ConversationsController } from './conversations.controller';
import { ConversationSearchRepository } from './conversation-search.repository';
import { ConversationsRepository } from './conversations.repository';
import { HistoryCache } from './history.cache';
import { MessagesRepository } from './messages.repository';
import { CreateConversationUseCase } from './usecases/create-conversation/create-conversation.usecase';
import { DeleteConversationUseCase } from './usecases/delete-conversation/delete-conversation.usecase';
import { GetConversationUseCase } from './usecases/get-conversation/get-conversation.usecase';
import { ListConversationsUseCase } from './usecases/list-conversations/list-conversations.usecase';
import { ListMessagesUseCase } from './usecases/list-messages/list-messages.usecase';
import { UpdateConversationUseCase } from './usecases/update-conversation/update-conversation.usecase';

/** Conversations and their messages in the tenant schema, scoped to the principal that owns them. */
@Module({
  controllers: [ConversationsController],
  providers: [
    ConversationsRepository,
    ConversationSearchRepository,
    {
      provide: HistoryCache,
      useFactory: (config: AppConfig) => {
        if (!config.chat) throw new Error('The chat configuration is missing (chat-orchestrator only)');
        return new HistoryCache(config.chat.historyCache);
      },
      inject: [APP_CONFIG],
    },
    MessagesRepository,
    CreateConversationUseCase,
    ListConversationsUseCase,
    GetConversationUseCase,
    UpdateConversationUseCase,
    DeleteConversationUseCase,
    ListMessagesUseCase,
  ],
  exports: [ConversationsRepository, MessagesRepository],
})
export class ConversationsModule {}
