import { ErrorCode, SseParser, type SseEvent, type StreamErrorEvent } from '@parley/contracts';
import type { HttpAnswer } from '@parley/observability';
import type { ActiveChatStream, ChatSocket } from './chat-socket';

/** The event types of chatStreamEventSchema; anything else on the stream is not relayed. */
const RELAYED: ReadonlySet<string> = new Set(['message.started', 'token', 'message.completed', 'error']);
const TERMINAL: ReadonlySet<string> = new Set(['message.completed', 'error']);

/**
 * One answer streaming from the orchestrator to one socket. The SSE body is parsed incrementally
 * and each event's `data` — the event's JSON, exactly as the orchestrator wrote it — is sent as one
 * text frame, in order, to this socket only; only `message.started` is decoded (for its message id).
 * A stream that ends without `message.completed` or `error` (orchestrator gone, malformed stream,
 * cut after a stop) gets a closing `error` frame, so every accepted send ends with exactly one
 * terminal frame — unless the socket itself went away: then the answer is read to its end and sent
 * nowhere, so it completes and is stored (a client reads it back after reconnecting).
 */
export class ChatStreamRelay implements ActiveChatStream {
  readonly conversationId: string;
  private readonly controller = new AbortController();
  private upstream: HttpAnswer | undefined;
  private messageId: string | null = null;
  private terminal = false;
  private done = false;
  /** The socket went away: events are read to the end (the answer completes) and sent nowhere. */
  private released = false;
  private grace: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: ChatSocket,
    conversationId: string,
    private readonly requestId: string,
  ) {
    this.conversationId = conversationId;
  }

  /** Aborted when the stream is ended here: pass it to the upstream request. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get started(): boolean {
    return this.messageId !== null;
  }

  /** Relays the upstream SSE body until it ends; `onEnd` runs once, however it ends. */
  relay(upstream: HttpAnswer, onEnd: () => void): void {
    this.upstream = upstream;
    const parser = new SseParser((event) => this.onEvent(event));
    const body = upstream.body;
    body.on('data', (chunk: Buffer) => {
      if (this.done) return;
      try {
        parser.push(chunk);
      } catch {
        this.cut(ErrorCode.ServiceUnavailable, 'The chat service sent a malformed event stream');
      }
    });
    body.on('end', () => {
      if (this.done) return;
      try {
        parser.end();
      } catch {
        // an unterminated last event is dropped either way
      }
    });
    body.on('error', () => undefined); // 'close' follows and decides
    body.on('close', () => {
      if (!this.done && !this.terminal) {
        this.finishWith(ErrorCode.ServiceUnavailable, 'The answer stream ended before its last event');
      }
      this.finish();
      onEnd();
    });
    if (this.done) upstream.abort(); // ended (socket closed) while the head was awaited
  }

  release(): void {
    this.released = true;
  }

  abort(): void {
    if (this.done) return;
    this.finish();
    this.controller.abort();
    this.upstream?.abort();
  }

  cut(code: string, message: string): void {
    if (this.done) return;
    if (!this.terminal) this.finishWith(code, message);
    this.abort();
  }

  expectEndWithin(ms: number): void {
    if (this.done || this.grace) return;
    this.grace = setTimeout(() => this.cut('stopped', 'The answer did not end after the stop: it was cut'), ms);
    this.grace.unref();
  }

  private onEvent(event: SseEvent): void {
    if (this.done || this.terminal || !RELAYED.has(event.type)) return;
    if (event.type === 'message.started') this.messageId = messageIdOf(event.data);
    if (TERMINAL.has(event.type)) this.terminal = true;
    if (this.released) return;
    // Not sent: either the socket was found closing (this stream is released then, and reads on) or it
    // was closed for back-pressure (this stream was aborted with it).
    if (!this.socket.send(event.data) && !this.released) this.abort();
  }

  /** The closing `error` frame of a stream that did not end by itself. */
  private finishWith(code: string, message: string): void {
    this.terminal = true;
    if (this.released) return;
    const frame: StreamErrorEvent = {
      type: 'error',
      conversationId: this.conversationId,
      messageId: this.messageId,
      seq: null,
      code,
      message,
      requestId: this.requestId,
      partial: this.messageId !== null,
    };
    this.socket.send(JSON.stringify(frame));
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.grace);
    this.socket.remove(this);
  }
}

function messageIdOf(data: string): string | null {
  try {
    const value = JSON.parse(data) as { messageId?: unknown };
    return typeof value.messageId === 'string' ? value.messageId : null;
  } catch {
    return null;
  }
}
