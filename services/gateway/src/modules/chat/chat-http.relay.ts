import type { Request, Response } from 'express';
import { pipeline } from 'node:stream';
import type { Principal } from '../auth/principal';
import type { ChatUpstreamResponse } from './chat-upstream.client';
import { UpstreamAbortedError } from './chat-upstream.client';
import type { ChatMethod, ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

/** Response headers of the orchestrator that reach the client; the rest (server details) stay. */
const PASSED_BACK = ['content-type', 'content-length', 'retry-after', 'cache-control'] as const;

export interface ChatRoute {
  /** The orchestrator route as segments: fixed names and the decoded route parameters. */
  segments: readonly string[];
  /** The send route (`POST conversations/:id/messages`): may stream, or answer once generated. */
  generation?: boolean;
}

/**
 * One public chat call: forwarded to the orchestrator, its answer relayed as it arrives. A client
 * that goes away (the response closes before it finished) destroys the upstream request at once,
 * also while the head is awaited: the orchestrator then aborts the provider and keeps the partial
 * answer as `stopped`. Nothing in here looks at the body's bytes.
 */
export async function forwardChatHttp(
  forward: ForwardToChatUseCase,
  principal: Principal,
  route: ChatRoute,
  req: Request,
  res: Response,
): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  // Already gone while the guards ran: nothing is forwarded.
  if (!res.socket || res.socket.destroyed) gone.abort();
  const stream = route.generation === true && wantsEventStream(req);
  let upstream: ChatUpstreamResponse;
  try {
    upstream = await forward.execute({
      principal,
      method: req.method as ChatMethod,
      segments: route.segments,
      originalUrl: req.originalUrl,
      body: req.body as unknown,
      stream,
      generation: route.generation === true,
      signal: gone.signal,
    });
  } catch (error) {
    if (error instanceof UpstreamAbortedError) return; // nobody is listening any more
    throw error;
  }
  relay(upstream, res);
}

function relay(upstream: ChatUpstreamResponse, res: Response): void {
  res.status(upstream.status);
  const eventStream = upstream.status === 200 && isEventStream(upstream.headers['content-type']);
  if (eventStream) {
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    // no-transform: no compression anywhere on the way; x-accel-buffering: nginx must not buffer.
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    res.socket?.setNoDelay(true);
    res.flushHeaders();
  } else {
    for (const name of PASSED_BACK) {
      const value = upstream.headers[name];
      if (typeof value === 'string') res.setHeader(name, value);
    }
  }
  pipeline(upstream.body, res, (error) => {
    if (error) upstream.abort();
  });
}

function wantsEventStream(req: Request): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}

function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith('text/event-stream');
}
