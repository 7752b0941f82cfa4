import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { ListConversationsQuery } from '../../dtos/list-conversations.query';
import { OwnerCommand } from '../../owner-command';
import { decodeCursor, type PageKey } from '../../page-cursor';

export class ListConversationsCommand extends OwnerCommand {
  private constructor(
    principal: ChatPrincipal,
    readonly limit: number,
    readonly after: PageKey | null,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, query: ListConversationsQuery): ListConversationsCommand {
    return new ListConversationsCommand(principal, query.limit, decodeCursor(query.cursor));
  }
}
