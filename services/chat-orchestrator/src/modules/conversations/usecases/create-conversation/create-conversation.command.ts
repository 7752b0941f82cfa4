import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { CreateConversationDto } from '../../dtos/create-conversation.dto';
import { OwnerCommand, titleOf } from '../../owner-command';

export const DEFAULT_TITLE = 'New conversation';

export class CreateConversationCommand extends OwnerCommand {
  private constructor(
    principal: ChatPrincipal,
    readonly title: string,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, body: CreateConversationDto): CreateConversationCommand {
    return new CreateConversationCommand(principal, body.title === undefined ? DEFAULT_TITLE : titleOf(body.title));
  }
}
