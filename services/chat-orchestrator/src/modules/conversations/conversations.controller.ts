import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { ConversationCommand } from './conversation.command';
import { CreateConversationCommand } from './usecases/create-conversation/create-conversation.command';
import { CreateConversationUseCase } from './usecases/create-conversation/create-conversation.usecase';
import { DeleteConversationUseCase } from './usecases/delete-conversation/delete-conversation.usecase';
import { GetConversationUseCase } from './usecases/get-conversation/get-conversation.usecase';
import { ListConversationsCommand } from './usecases/list-conversations/list-conversations.command';
import { ListConversationsUseCase } from './usecases/list-conversations/list-conversations.usecase';
import { ListMessagesCommand } from './usecases/list-messages/list-messages.command';
import { ListMessagesUseCase } from './usecases/list-messages/list-messages.usecase';
import { UpdateConversationCommand } from './usecases/update-conversation/update-conversation.command';
import { UpdateConversationUseCase } from './usecases/update-conversation/update-conversation.usecase';

/** The caller's conversations (`/api/v1/conversations` at the gateway); another owner's are 404. */
@Controller('conversations')
@UseGuards(InternalPrincipalGuard)
export class ConversationsController {
  constructor(
    private readonly createConversation: CreateConversationUseCase,
    private readonly listConversations: ListConversationsUseCase,
    private readonly getConversation: GetConversationUseCase,
    private readonly updateConversation: UpdateConversationUseCase,
    private readonly deleteConversation: DeleteConversationUseCase,
    private readonly listMessages: ListMessagesUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentPrincipal() principal: ChatPrincipal, @Body() body: unknown) {
    return this.createConversation.execute(CreateConversationCommand.create(principal, body));
  }

  /** `?limit&cursor` the list, `?q=` a search (validated by the contract's schema in the command). */
  @Get()
  list(@CurrentPrincipal() principal: ChatPrincipal, @Query() query: unknown) {
    return this.listConversations.execute(ListConversationsCommand.create(principal, query));
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string) {
    return this.getConversation.execute(ConversationCommand.create(principal, id));
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string, @Body() body: unknown) {
    return this.updateConversation.execute(UpdateConversationCommand.create(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string): Promise<void> {
    await this.deleteConversation.execute(ConversationCommand.create(principal, id));
  }

  @Get(':id/messages')
  messages(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string, @Query() query: unknown) {
    return this.listMessages.execute(ListMessagesCommand.create(principal, id, query));
  }
}
