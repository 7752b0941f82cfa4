import type { ChatPrincipal } from '../../../principal/chat-principal';
import { ConversationCommand } from '../../conversation.command';
import type { ListMessagesQuery } from '../../dtos/list-messages.query';
import { conversationIdOf } from '../../owner-command';
import { decodeCursor, type PageKey } from '../../page-cursor';

export class ListMessagesCommand extends ConversationCommand {
  private constructor(
    principal: ChatPrincipal,
    conversationId: string,
    readonly limit: number,
    readonly before: PageKey | null,
  ) {
    super(principal, conversationId);
  }

  static override create(principal: ChatPrincipal, id: unknown, query?: ListMessagesQuery): ListMessagesCommand {
    return new ListMessagesCommand(principal, conversationIdOf(id), query?.limit ?? 50, decodeCursor(query?.cursor));
  }
}
