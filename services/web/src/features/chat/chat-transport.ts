import { SseParser, type ChatStreamEvent } from '@parley/contracts';
import { api } from '../../api/client';
import { chatApi } from '../../api/endpoints';

export type StreamHandler = (event: ChatStreamEvent) => void;

/**
 * What to answer: a new message, the last question again (its answer replaced), or the last question
 * edited (question and answer replaced). `model` picks the model of the first provider.
 */
export type ChatRequest =
  | { kind: 'send'; conversationId: string; content: string; model?: string }
  | { kind: 'regenerate'; conversationId: string; model?: string }
  | { kind: 'resend'; conversationId: string; content: string; model?: string };

const WS_TYPE = { send: 'message.send', regenerate: 'message.regenerate', resend: 'message.resend' } as const;
const HTTP_PATH = { send: 'messages', regenerate: 'regenerate', resend: 'resend' } as const;

/** The body of a request without its kind and conversation (as both the frame and the HTTP body carry it). */
function payload(request: ChatRequest): Record<string, string> {
  const { kind: _kind, conversationId: _id, ...rest } = request;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}

export type ConnectionState = 'idle' | 'live' | 'lost' | 'http';

interface Pending {
  requestId: string;
  conversationId: string;
  handler: StreamHandler;
  done: () => void;
}

const RECONNECT_MS = [500, 1000, 2000, 4000, 8000];

function isStreamEvent(value: unknown): value is ChatStreamEvent {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'message.started' || type === 'token' || type === 'message.completed' || type === 'error';
}

const ended = (event: ChatStreamEvent) => event.type === 'message.completed' || event.type === 'error';

/**
 * Streams answers over the `/ws` WebSocket (the access token as the `bearer` subprotocol); when the
 * socket cannot be opened, over Server-Sent Events on `POST …/messages`. A socket lost while an answer
 * streams is reported (`lost`) and reopened with backoff; the caller reloads the conversation then.
 */
export class ChatTransport {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket | null> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly sseAborts = new Map<string, AbortController>();
  private attempts = 0;
  private state: ConnectionState = 'idle';
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  constructor() {
    // A socket is bound to the person who opened it: a new session gets a new socket.
    api.onSessionChanged(() => this.close());
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a request and resolves when its answer has ended (completed, stopped or failed). */
  async send(request: ChatRequest, handler: StreamHandler): Promise<void> {
    const requestId = `web-${crypto.randomUUID()}`;
    const { conversationId } = request;
    const socket = await this.open();
    if (!socket) return this.sendOverHttp(request, handler);
    return new Promise<void>((resolve) => {
      this.pending.set(requestId, { requestId, conversationId, handler, done: resolve });
      socket.send(JSON.stringify({ type: WS_TYPE[request.kind], requestId, conversationId, ...payload(request) }));
    });
  }

  async stop(conversationId: string): Promise<void> {
    const sse = this.sseAborts.get(conversationId);
    if (sse) {
      sse.abort();
      return;
    }
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'message.stop', conversationId }));
    } else {
      await chatApi.stop(conversationId);
    }
  }

  /** Closes the socket on purpose (no reconnect); answers in flight end as lost. */
  close(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onclose = null;
    socket.close(1000);
    for (const pending of this.pending.values()) pending.done();
    this.pending.clear();
    this.setState('idle');
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener(state));
  }

  private open(): Promise<WebSocket | null> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    this.opening ??= this.connect().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async connect(): Promise<WebSocket | null> {
    const token = await api.tokens.current().catch(() => null);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    return new Promise((resolve) => {
      let opened = false;
      let ws: WebSocket;
      try {
        ws = token ? new WebSocket(url, ['bearer', token]) : new WebSocket(url);
      } catch {
        resolve(null);
        return;
      }
      ws.onmessage = (message: MessageEvent<string>) => {
        const frame = JSON.parse(message.data) as unknown;
        if ((frame as { type?: string }).type === 'session.ready') {
          opened = true;
          this.attempts = 0;
          this.socket = ws;
          this.setState('live');
          resolve(ws);
          return;
        }
        if (isStreamEvent(frame)) this.dispatch(frame);
      };
      ws.onclose = () => {
        if (!opened) {
          this.setState('http');
          resolve(null);
          return;
        }
        this.socket = null;
        this.lose();
      };
    });
  }

  private dispatch(event: ChatStreamEvent): void {
    const requestId = 'requestId' in event ? event.requestId : null;
    const byRequest = requestId ? this.pending.get(requestId) : undefined;
    const target =
      byRequest ?? [...this.pending.values()].find((p) => p.conversationId === event.conversationId) ?? null;
    if (!target) return;
    target.handler(event);
    if (ended(event)) {
      this.pending.delete(target.requestId);
      target.done();
    }
  }

  /** The socket dropped: every answer in flight hears it, then we reconnect with backoff. */
  private lose(): void {
    for (const pending of this.pending.values()) {
      pending.handler({
        type: 'error',
        conversationId: pending.conversationId,
        messageId: null,
        seq: null,
        code: 'connection_lost',
        message: 'The connection was lost',
        requestId: pending.requestId,
        partial: true,
      });
      pending.done();
    }
    this.pending.clear();
    this.setState('lost');
    const delay = RECONNECT_MS[Math.min(this.attempts, RECONNECT_MS.length - 1)] ?? 8000;
    this.attempts += 1;
    setTimeout(() => void this.open(), delay);
  }

  private async sendOverHttp(request: ChatRequest, handler: StreamHandler): Promise<void> {
    const { conversationId } = request;
    const abort = new AbortController();
    this.sseAborts.set(conversationId, abort);
    try {
      const path = `/api/v1/conversations/${conversationId}/${HTTP_PATH[request.kind]}`;
      const res = await api.stream(path, payload(request), abort.signal);
      const reader = res.body?.getReader();
      const parser = new SseParser((sse) => {
        const event = JSON.parse(sse.data) as unknown;
        if (isStreamEvent(event)) handler(event);
      });
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      parser.end();
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    } finally {
      this.sseAborts.delete(conversationId);
    }
  }
}
