import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DomainException, ErrorCode } from '@parley/contracts';

export interface UpstreamRequest {
  method: string;
  /** Path and query string, already safe (see upstreamPathOf). */
  path: string;
  headers: Record<string, string>;
  /** A string (JSON) is sent with its length and may be retried; a stream (a raw body) is piped once. */
  body?: string | Readable;
  /** Aborting destroys the request and its connection: the orchestrator sees the caller leave. */
  signal?: AbortSignal;
  /** Longest silence before the response head arrives (connecting included). */
  headTimeoutMs: number;
  /** Longest silence between two chunks of the response body. */
  bodyIdleTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives; nothing is buffered. */
  body: IncomingMessage;
  /** Destroys the request and its connection (idempotent). */
  abort(): void;
}

/** Raised (as the rejection) when the caller's signal aborted the request before the head arrived. */
export class UpstreamAbortedError extends Error {
  override readonly name = 'UpstreamAbortedError';
}

class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
}

/**
 * HTTP to one internal service over kept-alive connections (node:http). A call resolves as soon as
 * the response head arrives, with the body as a stream: nothing is buffered, so an SSE answer can
 * be relayed token by token. Nagle is off on every upstream socket. An upstream that cannot be
 * reached, or stays silent past the head timeout, is 503 `service_unavailable` naming the service;
 * a body that stalls past its idle timeout is destroyed. A kept-alive socket the service closed
 * just before reuse (ECONNRESET before any answer) is retried once on a fresh one, when the body
 * can be sent again.
 */
export class UpstreamClient {
  // Generations are long-lived: each holds a socket for its whole stream, so no cap on sockets.
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  private readonly tlsAgent = new HttpsAgent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  private readonly baseUrl: string;

  constructor(
    private readonly service: string,
    baseUrl: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async open(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.attempt(upstream, typeof upstream.body !== 'object');
    } catch (error) {
      if (error instanceof UpstreamAbortedError) throw error;
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        error instanceof UpstreamTimeoutError
          ? `The ${this.service} service did not answer within ${upstream.headTimeoutMs} ms`
          : `The ${this.service} service is unavailable`,
        { service: this.service },
        true,
      );
    }
  }

  close(): void {
    this.agent.destroy();
    this.tlsAgent.destroy();
  }

  private attempt(upstream: UpstreamRequest, mayRetry: boolean): Promise<UpstreamResponse> {
    const url = `${this.baseUrl}${upstream.path}`;
    const tls = url.startsWith('https:');
    const headers = { ...upstream.headers };
    if (typeof upstream.body === 'string') headers['content-length'] = String(Buffer.byteLength(upstream.body));
    return new Promise((resolve, reject) => {
      if (upstream.signal?.aborted) {
        reject(new UpstreamAbortedError('The caller went away'));
        return;
      }
      let answered = false;
      const req = (tls ? httpsRequest : request)(url, {
        method: upstream.method,
        headers,
        agent: tls ? this.tlsAgent : this.agent,
      });
      const abort = () => {
        if (!req.destroyed) req.destroy(new UpstreamAbortedError('The caller went away'));
      };
      upstream.signal?.addEventListener('abort', abort, { once: true });
      const forget = () => upstream.signal?.removeEventListener('abort', abort);
      req.on('socket', (socket) => {
        socket.setNoDelay(true);
        // The request's own timeout starts once connected: bound the connect attempt too.
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => req.destroy(new UpstreamTimeoutError('connect timeout')),
          upstream.headTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.setTimeout(upstream.headTimeoutMs, () => req.destroy(new UpstreamTimeoutError('timeout')));
      req.on('response', (res) => {
        answered = true;
        req.setTimeout(upstream.bodyIdleTimeoutMs);
        res.on('close', forget);
        resolve({
          status: res.statusCode ?? 502,
          headers: res.headers,
          body: res,
          abort: () => {
            if (!req.destroyed) req.destroy();
            if (!res.destroyed) res.destroy();
          },
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return; // the body stream reports it
        forget();
        const cause = error.cause instanceof Error ? error.cause : error;
        if (mayRetry && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          this.attempt(upstream, false).then(resolve, reject);
          return;
        }
        reject(cause);
      });
      if (upstream.body === undefined || typeof upstream.body === 'string') req.end(upstream.body);
      else upstream.body.pipe(req);
    });
  }
}
