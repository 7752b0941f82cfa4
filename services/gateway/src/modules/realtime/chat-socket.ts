import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { StreamErrorEvent } from '@parley/contracts';
import type { Principal } from '../auth/principal';
import { CloseCode, MAX_BUFFERED_BYTES, MAX_STREAMS_PER_SOCKET } from './realtime-messages';

/** What a chat socket needs of a `ws` WebSocket. */
export type ChatSocketPort = Pick<WebSocket, 'send' | 'readyState' | 'bufferedAmount' | 'close'>;

/** The connection under the WebSocket (the upgraded TCP socket), held back while one turn's frames are written. */
export type CorkableTransport = Pick<Duplex, 'cork' | 'uncork'>;

/** An answer streaming to this socket (see ChatStreamRelay). */
export interface ActiveChatStream {
  readonly conversationId: string;
  /** True once `message.started` was relayed. */
  readonly started: boolean;
  /** Ends it here without a frame, and the upstream request with it. */
  abort(): void;
  /** The socket went away: the answer goes on being generated and stored, sent to nobody. */
  release(): void;
  /** Ends it here and tells the client with an `error` frame of this code. */
  cut(code: string, message: string): void;
  /** Cuts it unless it ends by itself within `ms`. */
  expectEndWithin(ms: number): void;
}

/**
 * The chat side of one WebSocket: its principal (verified at the upgrade), the answers streaming
 * to it (at most MAX_STREAMS_PER_SOCKET, counted from the moment a send is accepted for checking),
 * and the one way frames reach it. Every frame of a stream goes to this socket only. When more
 * than MAX_BUFFERED_BYTES wait to be written to the client, the socket is closed with 1013 and its
 * streams aborted instead of buffering on. The frames sent in one event-loop turn (the tokens of one
 * upstream read) leave as one write: the transport is corked at the turn's first frame and uncorked
 * on the next tick — no delay beyond the current turn, and `bufferedAmount` still counts them.
 */
export class ChatSocket {
  private readonly streams = new Set<ActiveChatStream>();
  private slots = 0;
  private closed = false;
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.transport?.uncork();
  };

  constructor(
    private readonly ws: ChatSocketPort,
    readonly principal: Principal,
    private readonly transport?: CorkableTransport,
  ) {}

  get open(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Takes a stream slot, or returns false when the socket already has its maximum. */
  reserve(): boolean {
    if (this.slots >= MAX_STREAMS_PER_SOCKET) return false;
    this.slots += 1;
    return true;
  }

  release(): void {
    this.slots = Math.max(0, this.slots - 1);
  }

  add(stream: ActiveChatStream): void {
    this.streams.add(stream);
  }

  remove(stream: ActiveChatStream): void {
    this.streams.delete(stream);
  }

  /** This socket's streams for a conversation. */
  streamsOf(conversationId: string): ActiveChatStream[] {
    return [...this.streams].filter((s) => s.conversationId === conversationId);
  }

  /**
   * Sends one JSON text frame; false when it was not sent. A socket found closing (the client's close
   * frame came in, its `close` event not yet) is detached then and there: its answers go on, sent
   * nowhere. A client too slow to read gets the socket closed for back-pressure and its answers cut.
   */
  send(frame: string): boolean {
    if (!this.open) {
      if (!this.closed) this.detach();
      return false;
    }
    if (this.transport && !this.corked) {
      this.corked = true;
      this.transport.cork();
      process.nextTick(this.uncork);
    }
    this.ws.send(frame);
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.closeForBackpressure();
      return false;
    }
    return true;
  }

  /** A send refused before any stream: `{ type: 'error', …, messageId: null, seq: null, partial: false }`. */
  refuse(conversationId: string | null, requestId: string, code: string, message: string): void {
    const frame: StreamErrorEvent = {
      type: 'error',
      conversationId,
      messageId: null,
      seq: null,
      code,
      message,
      requestId,
      partial: false,
    };
    this.send(JSON.stringify(frame));
  }

  /**
   * The socket closed (or is being closed): its answers go on being generated and stored (a dropped
   * connection must not lose them; the client reads them back when it reconnects, growing as they
   * are checkpointed). Only a stop ends an answer early.
   */
  detach(): void {
    this.closed = true;
    for (const stream of [...this.streams]) stream.release();
    this.streams.clear();
  }

  private closeForBackpressure(): void {
    this.closed = true;
    for (const stream of [...this.streams]) stream.abort();
    this.streams.clear();
    this.ws.close(CloseCode.TryAgainLater, 'backpressure');
  }
}
