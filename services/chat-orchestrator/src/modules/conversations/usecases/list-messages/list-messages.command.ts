import type { ChatPrincipal } from '../../../principal/chat-principal';
import { ConversationCommand } from '../../conversation.command';
import { listMessagesQuerySchema, parseInput } from '@parley/contracts';
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

  static override create(principal: ChatPrincipal, id: unknown, input?: unknown): ListMessagesCommand {
    const query = parseInput(listMessagesQuerySchema, input, 'query');
    return new ListMessagesCommand(principal, conversationIdOf(id), query.limit, decodeCursor(query.cursor));
  }
}
