import {
  DomainException,
  ErrorCode,
  messageFeedbackBodySchema,
  parseInput,
  type FeedbackRating,
} from '@parley/contracts';
import { z } from 'zod';
import { OwnerCommand } from '../../../conversations/owner-command';
import type { ChatPrincipal } from '../../../principal/chat-principal';

const uuid = z.uuid();

export class GiveFeedbackCommand extends OwnerCommand {
  private constructor(
    principal: ChatPrincipal,
    readonly messageId: string,
    readonly rating: FeedbackRating,
    readonly comment: string | null,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, id: unknown, body: unknown): GiveFeedbackCommand {
    const messageId = uuid.safeParse(id);
    if (!messageId.success) throw messageNotFound();
    const input = parseInput(messageFeedbackBodySchema, body, 'body');
    return new GiveFeedbackCommand(principal, messageId.data.toLowerCase(), input.rating, input.comment);
  }
}

/** Another owner's or tenant's message is as absent as one that does not exist. */
export function messageNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'Message not found');
}
