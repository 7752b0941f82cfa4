import { DomainException, ErrorCode, parseInput, regenerateBodySchema, sendMessageBodySchema } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { ConversationCommand } from '../../../conversations/conversation.command';
import { conversationIdOf } from '../../../conversations/owner-command';
import type { ChatPrincipal } from '../../../principal/chat-principal';

type Options = { maxChars: number; receivedAt: number };

/**
 * A user message to answer: a new one; or, with `replaceLast`, one that replaces the conversation's
 * last question and its answer (edit and resend), or that question again (regenerate: `content` null).
 */
export class SendMessageCommand extends ConversationCommand {
  private constructor(
    principal: ChatPrincipal,
    conversationId: string,
    readonly content: string | null,
    readonly model: string | null,
    /** `performance.now()` when the request reached the orchestrator: time to first token counts from it. */
    readonly receivedAt: number,
    /** The caller's correlation id (`x-request-id`), echoed in `message.started`. */
    readonly requestId: string | null,
    readonly replaceLast: boolean = false,
  ) {
    super(principal, conversationId);
  }

  /** Edit and resend: `body` replaces the last question (its answer goes too). */
  static resend(principal: ChatPrincipal, id: unknown, body: unknown, options: Options) {
    const command = SendMessageCommand.create(principal, id, body, options);
    return new SendMessageCommand(
      principal,
      command.conversationId,
      command.content,
      command.model,
      command.receivedAt,
      command.requestId,
      true,
    );
  }

  /** Regenerate: the last question answered again (its current answer is replaced). */
  static regenerate(principal: ChatPrincipal, id: unknown, body: unknown, options: Options) {
    const { model } = parseInput(regenerateBodySchema, body, 'body');
    return new SendMessageCommand(
      principal,
      conversationIdOf(id),
      null,
      model ?? null,
      options.receivedAt,
      RequestContext.current()?.requestId ?? null,
      true,
    );
  }

  static override create(
    principal: ChatPrincipal,
    id: unknown,
    body?: unknown,
    options: Options = { maxChars: 32_000, receivedAt: performance.now() },
  ): SendMessageCommand {
    const input = parseInput(sendMessageBodySchema, body, 'body');
    const conversationId = conversationIdOf(id);
    const content = input.content;
    if (content.trim().length === 0 || content.length > options.maxChars) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid body', {
        issues: [`content: must be 1 to ${options.maxChars} characters, not only spaces`],
      });
    }
    return new SendMessageCommand(
      principal,
      conversationId,
      content,
      input.model ?? null,
      options.receivedAt,
      RequestContext.current()?.requestId ?? null,
    );
  }
}
