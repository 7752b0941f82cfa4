import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, RequestContext, type Logger, CallAbortedError, type HttpAnswer } from '@parley/observability';
import { ChatClient, type GenerationKind } from '../../../edge-routes/chat.client';
import { ChatAdmission } from '../../chat-admission';
import type { ChatSocket } from '../../chat-socket';
import { ChatStreamRelay } from '../../chat-stream.relay';
import { readUpstreamProblem } from '../../chat-upstream-error';
import type { MessageSend } from '../../realtime-messages';

export interface SendChatMessageCommand {
  socket: ChatSocket;
  message: MessageSend;
}

/**
 * `message.send` (and `message.regenerate`, `message.resend`: their HTTP routes) on a socket: within the socket's stream cap (`too_many_streams`), admitted like an
 * HTTP request (scope `chat:write`, tenant active, rate limits), then the same SSE request as
 * `POST /api/v1/conversations/:id/messages` goes to the orchestrator on behalf of the socket's
 * principal, and its events are relayed to this socket. The replica holding the socket makes the
 * request, so the tokens come back to it by construction. A refusal before the stream — here or by
 * the orchestrator — is one `error` frame with the send's conversation and request id. Never rejects.
 */
@Injectable()
export class SendChatMessageUseCase {
  constructor(
    private readonly admission: ChatAdmission,
    private readonly chat: ChatClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ socket, message }: SendChatMessageCommand): Promise<void> {
    const context = RequestContext.fresh();
    const requestId = message.requestId ?? context.requestId;
    const { conversationId } = message;
    if (!socket.reserve()) {
      socket.refuse(
        conversationId,
        requestId,
        'too_many_streams',
        'This socket already streams its maximum of answers',
      );
      return;
    }
    let handedOver = false;
    try {
      const refusal = await this.admission.refusal(socket.principal, 'chat:write');
      if (refusal) {
        socket.refuse(conversationId, requestId, refusal.code, refusal.message);
        return;
      }
      if (!socket.open) return;
      const stream = new ChatStreamRelay(socket, conversationId, requestId);
      socket.add(stream);
      let upstream: HttpAnswer;
      try {
        const body = {
          ...('content' in message ? { content: message.content } : {}),
          ...(message.model === undefined ? {} : { model: message.model }),
        };
        upstream = await this.chat.generate(socket.principal, KIND[message.type], conversationId, body, {
          signal: stream.signal,
          requestId,
          traceparent: context.traceparent,
        });
      } catch (error) {
        socket.remove(stream);
        throw error;
      }
      if (upstream.status !== 200 || !isEventStream(upstream.headers['content-type'])) {
        socket.remove(stream);
        const problem = await readUpstreamProblem(upstream);
        socket.refuse(conversationId, requestId, problem.code, problem.message);
        return;
      }
      handedOver = true;
      stream.relay(upstream, () => socket.release());
    } catch (error) {
      if (error instanceof CallAbortedError) return; // the socket went away meanwhile
      if (error instanceof DomainException) {
        socket.refuse(conversationId, requestId, error.code, error.message);
        return;
      }
      this.logger.error({ err: error, requestId }, 'WebSocket chat send failed');
      socket.refuse(conversationId, requestId, ErrorCode.Internal, 'Internal error');
    } finally {
      if (!handedOver) socket.release();
    }
  }
}

/** The table route each kind of frame becomes (as its HTTP twin). */
const KIND: Record<MessageSend['type'], GenerationKind> = {
  'message.send': 'send',
  'message.regenerate': 'regenerate',
  'message.resend': 'resend',
};

function isEventStream(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream');
}
