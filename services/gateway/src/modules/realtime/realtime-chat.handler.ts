import { Inject, Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { ATTR_TENANT_ID, inSpan, LOGGER, SpanKind, type Logger, type SpanContext } from '@parley/observability';
import type { Principal } from '../auth/principal';
import { ChatSocket, type CorkableTransport } from './chat-socket';
import type { MessageSend, MessageStop } from './realtime-messages';
import { SendChatMessageUseCase } from './usecases/send-chat-message/send-chat-message.usecase';
import { StopChatMessageUseCase } from './usecases/stop-chat-message/stop-chat-message.usecase';

/**
 * Chat over `/ws`, as the endpoint sees it: a socket is attached with the principal verified at its
 * upgrade, its chat frames go to the send and stop use cases, and detaching it (the socket closed)
 * aborts every upstream request it still has.
 */
@Injectable()
export class RealtimeChatHandler {
  private readonly sockets = new WeakMap<WebSocket, ChatSocket>();
  /** Each socket's upgrade span: every chat frame's trace links to it. */
  private readonly upgrades = new WeakMap<WebSocket, SpanContext>();

  constructor(
    private readonly sendMessage: SendChatMessageUseCase,
    private readonly stopMessage: StopChatMessageUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `transport`: the upgraded connection, so one turn's frames leave in one write. */
  attach(ws: WebSocket, principal: Principal, upgrade?: SpanContext, transport?: CorkableTransport): void {
    this.sockets.set(ws, new ChatSocket(ws, principal, transport));
    if (upgrade) this.upgrades.set(ws, upgrade);
  }

  /**
   * One frame is one unit of work: a trace of its own (a socket lives for hours), linked to the
   * socket's upgrade span; the span lasts until the answer's head (the relay streams after it).
   */
  handle(ws: WebSocket, message: MessageSend | MessageStop): void {
    const socket = this.sockets.get(ws);
    if (!socket) return;
    const upgrade = this.upgrades.get(ws);
    const done = inSpan(
      `WS ${message.type}`,
      {
        kind: SpanKind.SERVER,
        newTrace: true,
        links: upgrade ? [{ context: upgrade }] : [],
        attributes: { [ATTR_TENANT_ID]: socket.principal.tenantId, 'network.protocol.name': 'websocket' },
      },
      () =>
        message.type === 'message.stop'
          ? this.stopMessage.execute({ socket, message })
          : this.sendMessage.execute({ socket, message }),
    );
    done.catch((error: unknown) => this.logger.error({ err: error }, 'WebSocket chat frame failed'));
  }

  detach(ws: WebSocket): void {
    this.sockets.get(ws)?.detach();
    this.sockets.delete(ws);
    this.upgrades.delete(ws);
  }
}
