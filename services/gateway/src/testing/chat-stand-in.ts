import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toSseFrame, type ChatStreamEvent } from '@parley/contracts';

/** A request that reached the stand-in, updated while its response goes on. */
export interface ChatStandInRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The caller closed the connection before the response ended. */
  aborted: boolean;
  /** The response was sent completely. */
  ended: boolean;
}

/** An open SSE response the test writes to as it likes. */
export interface SseSink {
  readonly request: ChatStandInRequest;
  /** Raw bytes, exactly as given. */
  write(raw: string | Buffer): void;
  event(event: ChatStreamEvent): void;
  end(): void;
  /** Resolves when the caller closed the connection (or the response ended). */
  readonly closed: Promise<void>;
}

export type ChatStandInReply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** An SSE answer: these events (or raw strings), then the end of the response. */
  | { events: (ChatStreamEvent | string)[] }
  /** An SSE answer the test drives (head sent at once). */
  | { open: (sink: SseSink) => void }
  /** No answer at all until the caller gives up. */
  | { hang: true };

/**
 * A stand-in for the chat-orchestrator speaking its HTTP protocol on a local port: it records
 * every request (headers and body as received), answers JSON, SSE streams (scripted or driven by
 * the test) or nothing, and notes whether the caller went away before a response ended.
 */
export class ChatStandIn {
  readonly received: ChatStandInRequest[] = [];
  reply: ((req: ChatStandInRequest) => ChatStandInReply | undefined) | undefined;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: ChatStandInRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          aborted: false,
          ended: false,
        };
        res.on('close', () => {
          if (!res.writableFinished) received.aborted = true;
        });
        res.on('finish', () => {
          received.ended = true;
        });
        if (received.url === '/health/ready') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","checks":{}}');
          return;
        }
        this.received.push(received);
        this.answer(received, res);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<ChatStandIn> {
    const standIn = new ChatStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** The requests received for this path (query included), in order. */
  to(method: string, url: string): ChatStandInRequest[] {
    return this.received.filter((r) => r.method === method && r.url === url);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: ChatStandInRequest, res: ServerResponse): void {
    const reply = this.reply?.(req) ?? {
      status: 200,
      body: { echo: { method: req.method, url: req.url, body: req.body ? (JSON.parse(req.body) as unknown) : null } },
    };
    if ('hang' in reply) return;
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-internal': 'orchestrator',
    });
    res.flushHeaders();
    const sink: SseSink = {
      request: req,
      write: (raw) => {
        if (!res.writableEnded && !res.destroyed) res.write(raw);
      },
      event: (event) => sink.write(toSseFrame(event)),
      end: () => {
        if (!res.writableEnded) res.end();
      },
      closed: new Promise<void>((resolve) => res.on('close', () => resolve())),
    };
    if ('open' in reply) {
      reply.open(sink);
      return;
    }
    for (const event of reply.events) {
      if (typeof event === 'string') sink.write(event);
      else sink.event(event);
    }
    sink.end();
  }
}

/** The events of one complete answer: started, a token per text, completed. */
export function answerEvents(
  conversationId: string,
  texts: string[],
  options: { requestId?: string | null; messageId?: string } = {},
): ChatStreamEvent[] {
  const messageId = options.messageId ?? randomUUID();
  return [
    {
      type: 'message.started',
      conversationId,
      messageId,
      seq: 0,
      userMessageId: randomUUID(),
      provider: 'anthropic',
      model: 'claude-test',
      skill: null,
      requestId: options.requestId ?? null,
    },
    ...texts.map((text, index): ChatStreamEvent => ({
      type: 'token',
      conversationId,
      messageId,
      seq: index + 1,
      index,
      text,
    })),
    {
      type: 'message.completed',
      conversationId,
      messageId,
      seq: texts.length + 1,
      status: 'complete',
      finishReason: 'end_turn',
      usage: { promptTokens: 3, completionTokens: texts.length, estimated: false, costMicros: 12 },
    },
  ];
}
