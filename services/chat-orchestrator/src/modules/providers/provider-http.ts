import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { EgressPolicy } from '@parley/config';
import { DomainException, ErrorCode, SseParser, type SseEvent } from '@parley/contracts';
import { ProviderError } from './llm-provider';
import {
  abortError,
  ERROR_BODY_LIMIT_BYTES,
  errorForStatus,
  errorForStreamEvent,
  networkError,
} from './provider-errors';

export interface SseCall {
  /** For messages: `anthropic`, `openai`. */
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** Redacted from any message. */
  apiKey?: string;
  /** A tenant-supplied URL: refused unless this policy allows the address it connects to. */
  egress?: EgressPolicy;
}

/** A response being read as server-sent events. Its owner ends it with `release` or `destroy`. */
export interface SseStream {
  events(): AsyncGenerator<SseEvent, void, undefined>;
  /**
   * The protocol's end event was seen: reads the rest of the response (at most 1 s, else the
   * connection is dropped) so the connection goes back to the pool before the caller goes on.
   */
  finish(): Promise<void>;
  /** Abandon the request and its connection now. */
  destroy(): void;
}

const DRAIN_MS = 1000;
const noop = () => undefined;

/**
 * POSTs to LLM providers over node:http/https with keep-alive agents (no fetch: it costs several
 * times more per call on the hot path) and reads `text/event-stream` answers incrementally.
 * A non-2xx answer becomes a ProviderError (body read up to 64 KiB for its message); an abort of
 * `signal` destroys the request at once.
 */
@Injectable()
export class ProviderHttp implements OnModuleDestroy {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, scheduling: 'lifo', noDelay: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, scheduling: 'lifo', noDelay: true });
  /** Tenant addresses: pools of their own, so they never reuse a connection the policy did not check. */
  private readonly tenantHttpAgent = new HttpAgent({ keepAlive: true, scheduling: 'lifo', noDelay: true });
  private readonly tenantHttpsAgent = new HttpsAgent({ keepAlive: true, scheduling: 'lifo', noDelay: true });

  onModuleDestroy(): void {
    for (const agent of [this.httpAgent, this.httpsAgent, this.tenantHttpAgent, this.tenantHttpsAgent]) agent.destroy();
  }

  async openSse(call: SseCall): Promise<SseStream> {
    const { req, res } = await this.send(call, true);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const body = await readBounded(res, req, call.signal);
      throw errorForStatus({ provider: call.provider, status, headers: res.headers, body, apiKey: call.apiKey });
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      const body = await readBounded(res, req, call.signal);
      const error = errorForStreamEvent(call.provider, body, call.apiKey);
      throw error.kind === 'stream_interrupted'
        ? new ProviderError('protocol', `${call.provider} answered JSON instead of an event stream`, { status })
        : error;
    }
    return new ResponseSseStream(call, req, res);
  }

  /** Sends the request; retries once at once when a reused keep-alive connection was closed under it. */
  private async send(call: SseCall, mayRetry: boolean): Promise<{ req: ClientRequest; res: IncomingMessage }> {
    if (call.signal.aborted) throw abortError(call.signal);
    const url = new URL(call.url);
    const secure = url.protocol === 'https:';
    const payload = Buffer.from(call.body, 'utf8');
    if (call.egress) refuseUnlessConnectable(call.provider, call.egress, url);
    const agent = call.egress
      ? secure
        ? this.tenantHttpsAgent
        : this.tenantHttpAgent
      : secure
        ? this.httpsAgent
        : this.httpAgent;
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent,
      // A name is resolved and checked in one step, and the socket connects to the checked address.
      ...(call.egress ? { lookup: call.egress.lookup } : {}),
      headers: { ...call.headers, 'content-length': String(payload.length) },
    });
    req.on('error', noop);
    const onAbort = () => req.destroy(abortError(call.signal));
    call.signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => call.signal.removeEventListener('abort', onAbort));
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        req.once('response', resolve);
        req.once('error', reject);
        req.end(payload);
      });
      return { req, res };
    } catch (error) {
      req.destroy();
      if (call.signal.aborted) throw abortError(call.signal);
      const code = (error as { code?: unknown }).code;
      if (error instanceof DomainException) throw egressRefusal(call.provider, error);
      if (mayRetry && req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) return this.send(call, false);
      throw networkError(call.provider, error, false);
    }
  }
}

/** A tenant URL whose scheme or literal address the policy refuses: never connected to. */
function refuseUnlessConnectable(provider: string, egress: EgressPolicy, url: URL): void {
  try {
    if (url.protocol === 'http:' && !egress.allowsHttp) throw new DomainException(ErrorCode.EgressDenied, 'http');
    egress.assertConnectable(url);
  } catch (error) {
    throw error instanceof DomainException ? egressRefusal(provider, error) : error;
  }
}

/** Not retryable at this address; the chain may fall back to the next target. */
function egressRefusal(provider: string, error: DomainException): ProviderError {
  return new ProviderError('bad_request', `${provider} address refused by the egress policy: ${error.message}`, {
    providerCode: error.code,
  });
}

class ResponseSseStream implements SseStream {
  constructor(
    private readonly call: SseCall,
    private readonly req: ClientRequest,
    private readonly res: IncomingMessage,
  ) {
    res.on('error', noop);
  }

  async *events(): AsyncGenerator<SseEvent, void, undefined> {
    const parsed: SseEvent[] = [];
    const parser = new SseParser((event) => parsed.push(event));
    try {
      for await (const chunk of this.res.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        parser.push(chunk);
        yield* parsed.splice(0);
      }
      parser.end();
      yield* parsed.splice(0);
    } catch (error) {
      if (this.call.signal.aborted) throw abortError(this.call.signal);
      throw networkError(this.call.provider, error, true);
    }
  }

  async finish(): Promise<void> {
    if (this.res.readableEnded) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.req.destroy();
        resolve();
      }, DRAIN_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.res.once('end', done);
      this.res.once('close', done);
      this.res.resume();
    });
  }

  destroy(): void {
    this.req.destroy();
  }
}

/** Reads an error body up to the limit (then drops the connection), as text. */
async function readBounded(res: IncomingMessage, req: ClientRequest, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT_BYTES) {
        req.destroy();
        break;
      }
    }
  } catch {
    if (signal.aborted) throw abortError(signal);
    // a body cut short still tells what it can
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT_BYTES).toString('utf8');
}
