import { parseInput, updateConversationBodySchema } from '@parley/contracts';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { ConversationCommand } from '../../conversation.command';
import { conversationIdOf } from '../../owner-command';

/** Rename and/or pin one of the principal's conversations. */
export class UpdateConversationCommand extends ConversationCommand {
  private constructor(
    principal: ChatPrincipal,
    conversationId: string,
    readonly title: string | undefined,
    readonly pinned: boolean | undefined,
  ) {
    super(principal, conversationId);
  }

  static override create(principal: ChatPrincipal, id: unknown, body?: unknown): UpdateConversationCommand {
    const conversationId = conversationIdOf(id);
    const change = parseInput(updateConversationBodySchema, body, 'body');
    return new UpdateConversationCommand(principal, conversationId, change.title, change.pinned);
  }
}
