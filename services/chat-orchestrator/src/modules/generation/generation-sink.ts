import type { Response } from 'express';
import { toSseFrame, type ChatStreamEvent } from '@parley/contracts';

/** Where a generation's events go while it runs. */
export interface GenerationSink {
  /** The request was accepted: the stream begins (right before the provider call). */
  open(): void;
  send(event: ChatStreamEvent): void;
  /** The last event was sent. */
  close(): void;
}

/** The JSON mode: nothing is sent before the answer is complete. */
export const SILENT_SINK: GenerationSink = { open: () => undefined, send: () => undefined, close: () => undefined };

/**
 * Server-Sent Events on an Express response: one frame per event (`toSseFrame`), each written
 * straight to the socket (no compression or buffering in between, Nagle off), so a token reaches
 * the gateway the moment it exists. `x-accel-buffering: no` keeps nginx-style proxies from holding it.
 */
export class SseSink implements GenerationSink {
  constructor(private readonly res: Response) {}

  open(): void {
    this.res.status(200);
    this.res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('cache-control', 'no-cache');
    this.res.setHeader('x-accel-buffering', 'no');
    this.res.setHeader('connection', 'keep-alive');
    this.res.socket?.setNoDelay(true);
    this.res.flushHeaders();
  }

  send(event: ChatStreamEvent): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(toSseFrame(event));
  }

  close(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}

export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes('text/event-stream');
}

/** Aborts when the client goes away before the answer was fully sent. */
export function abortOnClientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableEnded) controller.abort();
  });
  return controller.signal;
}
