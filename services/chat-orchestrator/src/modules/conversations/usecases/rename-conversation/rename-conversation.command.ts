import type { ChatPrincipal } from '../../../principal/chat-principal';
import { ConversationCommand } from '../../conversation.command';
import type { RenameConversationDto } from '../../dtos/rename-conversation.dto';
import { conversationIdOf, titleOf } from '../../owner-command';

export class RenameConversationCommand extends ConversationCommand {
  private constructor(
    principal: ChatPrincipal,
    conversationId: string,
    readonly title: string,
  ) {
    super(principal, conversationId);
  }

  static override create(
    principal: ChatPrincipal,
    id: unknown,
    body?: RenameConversationDto,
  ): RenameConversationCommand {
    return new RenameConversationCommand(principal, conversationIdOf(id), titleOf(body?.title));
  }
}
