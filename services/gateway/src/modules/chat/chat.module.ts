import { Module } from '@nestjs/common';
import { ChatModelsController } from './chat-models.controller';
import { ChatProvidersController } from './chat-providers.controller';
import { ChatUsageController } from './chat-usage.controller';
import { ConversationsController } from './conversations.controller';
import { MessageFeedbackController } from './message-feedback.controller';
import { SkillsController } from './skills.controller';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

/**
 * The public chat API (`/api/v1/conversations`, `/skills`, `/chat/*`), forwarded over kept-alive
 * HTTP to the chat-orchestrator with the verified principal; streamed answers are relayed byte for
 * byte. The forwarder is exported for the WebSocket side (chat over `/ws`).
 */
@Module({
  controllers: [
    ConversationsController,
    SkillsController,
    ChatProvidersController,
    ChatModelsController,
    MessageFeedbackController,
    ChatUsageController,
  ],
  providers: [ForwardToChatUseCase],
  exports: [ForwardToChatUseCase],
})
export class ChatModule {}
