import type { ChatPrincipal } from '../../../principal/chat-principal';
import { createConversationBodySchema, parseInput } from '@parley/contracts';
import { OwnerCommand, titleOf } from '../../owner-command';

export const DEFAULT_TITLE = 'New conversation';

export class CreateConversationCommand extends OwnerCommand {
  private constructor(
    principal: ChatPrincipal,
    readonly title: string,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, input: unknown): CreateConversationCommand {
    const body = parseInput(createConversationBodySchema, input, 'body');
    return new CreateConversationCommand(principal, body.title === undefined ? DEFAULT_TITLE : titleOf(body.title));
  }
}
