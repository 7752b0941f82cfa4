import { Controller, Get, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { ListChatModelsUseCase } from './usecases/list-chat-models/list-chat-models.usecase';

/** `/chat/models` (public: `/api/v1/chat/models`): where answers come from, local demo model marked. */
@Controller('chat/models')
@UseGuards(InternalPrincipalGuard)
export class ChatModelsController {
  constructor(private readonly listModels: ListChatModelsUseCase) {}

  @Get()
  list(@CurrentPrincipal() principal: ChatPrincipal) {
    return this.listModels.execute({ principal });
  }
}
