import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, RequestContext, type Logger, CallAbortedError } from '@parley/observability';
import { ChatClient } from '../../../edge-routes/chat.client';
import { ChatAdmission } from '../../chat-admission';
import type { ChatSocket } from '../../chat-socket';
import { readUpstreamProblem } from '../../chat-upstream-error';
import { STOP_GRACE_MS, type MessageStop } from '../../realtime-messages';

export interface StopChatMessageCommand {
  socket: ChatSocket;
  message: MessageStop;
}

/**
 * `message.stop` on a socket: admitted like an HTTP request (scope `chat:write`, tenant active,
 * rate limits), then `POST /conversations/:id/stop` to the orchestrator, which stops the answer
 * wherever it streams; the stream then ends with `message.completed` (status `stopped`) on the
 * socket that holds it. This socket's own answer in that conversation is also ended here: at once
 * if it has not started yet (the orchestrator treats the disconnect as a stop), else if it has not
 * ended within STOP_GRACE_MS of the stop. A refusal is an `error` frame. Never rejects.
 */
@Injectable()
export class StopChatMessageUseCase {
  constructor(
    private readonly admission: ChatAdmission,
    private readonly chat: ChatClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ socket, message }: StopChatMessageCommand): Promise<void> {
    const context = RequestContext.fresh();
    const { conversationId } = message;
    try {
      const refusal = await this.admission.refusal(socket.principal, 'chat:write');
      if (refusal) {
        socket.refuse(conversationId, context.requestId, refusal.code, refusal.message);
        return;
      }
      for (const stream of socket.streamsOf(conversationId)) {
        if (!stream.started) stream.cut('stopped', 'Stopped before the answer started');
      }
      const upstream = await this.chat.stop(socket.principal, conversationId, {
        signal: new AbortController().signal,
        requestId: context.requestId,
        traceparent: context.traceparent,
      });
      const problem = upstream.status >= 300 ? await readUpstreamProblem(upstream) : null;
      if (!problem) upstream.body.resume();
      for (const stream of socket.streamsOf(conversationId)) stream.expectEndWithin(STOP_GRACE_MS);
      if (problem) socket.refuse(conversationId, context.requestId, problem.code, problem.message);
    } catch (error) {
      for (const stream of socket.streamsOf(conversationId)) stream.expectEndWithin(STOP_GRACE_MS);
      if (error instanceof CallAbortedError) return;
      if (error instanceof DomainException) {
        socket.refuse(conversationId, context.requestId, error.code, error.message);
        return;
      }
      this.logger.error({ err: error, requestId: context.requestId }, 'WebSocket chat stop failed');
      socket.refuse(conversationId, context.requestId, ErrorCode.Internal, 'Internal error');
    }
  }
}
