import type { Readable } from 'node:stream';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import type { EgressPolicy } from '@parley/config';
import { DomainException, SseParser, type SseEvent } from '@parley/contracts';
import { EgressAgents } from '@parley/observability';
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
 * POSTs to LLM providers over undici connection pools (keep-alive, Nagle off; no fetch: it costs
 * several times more per call on the hot path) and reads `text/event-stream` answers incrementally.
 * A tenant-supplied address goes through its own pools, whose every connection resolves the name
 * through the egress policy's `lookup` and connects to the checked address (no DNS rebinding), so
 * it never reuses a connection the policy did not check. A non-2xx answer becomes a ProviderError
 * (body read up to 64 KiB for its message); an abort of `signal` destroys the request at once. A
 * POST is never retried here (it may have been acted on): the provider chain decides.
 */
@Injectable()
export class ProviderHttp implements OnModuleDestroy {
  private readonly agents = new EgressAgents();

  onModuleDestroy(): void {
    this.agents.destroy();
  }

  async openSse(call: SseCall): Promise<SseStream> {
    const res = await this.send(call);
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      const body = await readBounded(res.body, call.signal);
      throw errorForStatus({ provider: call.provider, status, headers: res.headers, body, apiKey: call.apiKey });
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      const body = await readBounded(res.body, call.signal);
      const error = errorForStreamEvent(call.provider, body, call.apiKey);
      throw error.kind === 'stream_interrupted'
        ? new ProviderError('protocol', `${call.provider} answered JSON instead of an event stream`, { status })
        : error;
    }
    return new ResponseSseStream(call, res.body);
  }

  private async send(call: SseCall): Promise<Dispatcher.ResponseData> {
    if (call.signal.aborted) throw abortError(call.signal);
    const url = new URL(call.url);
    if (call.egress) refuseUnlessConnectable(call.provider, call.egress, url);
    try {
      return await this.agents.for(call.egress).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: call.headers,
        body: Buffer.from(call.body, 'utf8'),
        signal: call.signal,
      });
    } catch (error) {
      if (call.signal.aborted) throw abortError(call.signal);
      const refused = egressRefusalOf(error);
      if (refused) throw egressRefusal(call.provider, refused);
      throw networkError(call.provider, error, false);
    }
  }
}

/** The policy's refusal behind a failed connection, if that is why it failed. */
function egressRefusalOf(error: unknown): DomainException | undefined {
  if (error instanceof DomainException) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof DomainException ? cause : undefined;
}

/** A tenant URL whose scheme or literal address the policy refuses: never connected to. */
function refuseUnlessConnectable(provider: string, egress: EgressPolicy, url: URL): void {
  try {
    egress.assertCallable(url);
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
    private readonly body: Readable,
  ) {
    body.on('error', noop);
  }

  async *events(): AsyncGenerator<SseEvent, void, undefined> {
    const parsed: SseEvent[] = [];
    const parser = new SseParser((event) => parsed.push(event));
    try {
      for await (const chunk of this.body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
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
    if (!this.body.readableEnded) await this.drain();
    // undici frees the connection just after the body's end: let it, so the next call reuses it.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.body.destroy();
        resolve();
      }, DRAIN_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.body.once('end', done);
      this.body.once('close', done);
      this.body.resume();
    });
  }

  destroy(): void {
    this.body.destroy();
  }
}

/** Reads an error body up to the limit (then drops the connection), as text. */
async function readBounded(body: Readable, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT_BYTES) {
        body.destroy();
        break;
      }
    }
  } catch {
    if (signal.aborted) throw abortError(signal);
    // a body cut short still tells what it can
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT_BYTES).toString('utf8');
}
