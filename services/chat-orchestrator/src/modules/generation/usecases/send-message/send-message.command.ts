import { DomainException, ErrorCode } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { ConversationCommand } from '../../../conversations/conversation.command';
import { conversationIdOf } from '../../../conversations/owner-command';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { SendMessageDto } from '../../dtos/send-message.dto';

/** A user message to answer. */
export class SendMessageCommand extends ConversationCommand {
  private constructor(
    principal: ChatPrincipal,
    conversationId: string,
    readonly content: string,
    readonly model: string | null,
    /** `performance.now()` when the request reached the orchestrator: time to first token counts from it. */
    readonly receivedAt: number,
    /** The caller's correlation id (`x-request-id`), echoed in `message.started`. */
    readonly requestId: string | null,
  ) {
    super(principal, conversationId);
  }

  static override create(
    principal: ChatPrincipal,
    id: unknown,
    body?: SendMessageDto,
    options: { maxChars: number; receivedAt: number } = { maxChars: 32_000, receivedAt: performance.now() },
  ): SendMessageCommand {
    const conversationId = conversationIdOf(id);
    const content = body?.content ?? '';
    if (content.trim().length === 0 || content.length > options.maxChars) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid body', {
        issues: [`content: must be 1 to ${options.maxChars} characters, not only spaces`],
      });
    }
    return new SendMessageCommand(
      principal,
      conversationId,
      content,
      body?.model ?? null,
      options.receivedAt,
      RequestContext.current()?.requestId ?? null,
    );
  }
}
