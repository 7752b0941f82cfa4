import type { ChatPrincipal } from '../principal/chat-principal';
import { conversationIdOf, OwnerCommand } from './owner-command';

/** A command on one conversation of the principal (get, delete, stop…). */
export class ConversationCommand extends OwnerCommand {
  protected constructor(
    principal: ChatPrincipal,
    readonly conversationId: string,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, id: unknown): ConversationCommand {
    return new ConversationCommand(principal, conversationIdOf(id));
  }
}
