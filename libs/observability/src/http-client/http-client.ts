import type { Readable } from 'node:stream';
import { Pool, errors } from 'undici';
import { tracingActive } from '../tracing/tracing';
import { DomainException, ErrorCode } from '@parley/contracts';

export interface HttpCall {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query string, already safe. */
  path: string;
  headers: Record<string, string>;
  /** A string is sent with its length and may be retried; a stream is sent once. */
  body?: string | Readable;
  /** Aborting destroys the request and its connection: the service sees the caller leave. */
  signal?: AbortSignal;
  /** Longest wait for the answer head (a connect included). */
  headTimeoutMs: number;
  /** Longest silence between two chunks of the answer body. */
  bodyIdleTimeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it arrives; nothing is buffered. */
  body: Readable;
  /** Destroys the answer and its connection (idempotent). */
  abort(): void;
}

/** An answer read whole (see `readWhole`). */
export interface WholeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raised (as the rejection) when the caller's signal aborted the call before the head arrived. */
export class CallAbortedError extends Error {
  override readonly name = 'CallAbortedError';
}

export interface HttpClientOptions {
  /** Named in errors: `The <service> service is unavailable`. */
  service: string;
  baseUrl: string;
  /** Most connections at once (null: no cap; streams hold one each for their whole length). */
  connections?: number | null;
  /** Longest wait for a TCP/TLS connection. */
  connectTimeoutMs?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * The one HTTP client for service-to-service calls (undici): a kept-alive connection pool per
 * service (Nagle off, idle sockets dropped before the server's keep-alive timeout), a deadline for
 * the answer head and one for each silence in the body, and exactly one retry on a fresh connection
 * when a kept-alive socket was reset before any answer — for idempotent calls only (a POST could
 * have been acted on). A call resolves at the answer head with the body as a stream, so an SSE
 * answer can be relayed frame by frame. An unreachable or silent service is 503
 * `service_unavailable` naming it; an aborted call rejects with CallAbortedError.
 */
export class HttpClient {
  private readonly pool: Pool;
  private readonly service: string;

  constructor(options: HttpClientOptions) {
    this.service = options.service;
    this.pool = new Pool(new URL(options.baseUrl).origin, {
      connections: options.connections === undefined ? null : options.connections,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      keepAliveTimeoutThreshold: 1_000,
      connect: { timeout: options.connectTimeoutMs ?? 5_000, noDelay: true },
    });
    this.basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  }

  private readonly basePath: string;

  async open(call: HttpCall): Promise<HttpAnswer> {
    if (call.signal?.aborted) throw new CallAbortedError('The caller went away');
    const mayRetry = IDEMPOTENT.has(call.method) && typeof call.body !== 'object';
    try {
      return await this.attempt(call);
    } catch (error) {
      if (call.signal?.aborted) throw new CallAbortedError('The caller went away');
      if (mayRetry && isReset(error)) {
        try {
          return await this.attempt(call);
        } catch (second) {
          throw this.refusal(call, second);
        }
      }
      throw this.refusal(call, error);
    }
  }

  /** A call whose whole answer is read within `deadlineMs` (JSON calls). */
  async call(call: Omit<HttpCall, 'headTimeoutMs' | 'bodyIdleTimeoutMs'>, deadlineMs: number): Promise<WholeAnswer> {
    // A timer cleared when the answer is read, not AbortSignal.timeout: that one fires (and makes
    // its DOMException) at the deadline of every call, long after most have ended.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, deadlineMs);
    const callerLeft = () => deadline.abort();
    call.signal?.addEventListener('abort', callerLeft, { once: true });
    if (call.signal?.aborted) deadline.abort();
    try {
      const answer = await this.open({
        ...call,
        signal: deadline.signal,
        headTimeoutMs: deadlineMs,
        bodyIdleTimeoutMs: deadlineMs,
      });
      return await readWhole(answer);
    } catch (error) {
      if (timedOut && !call.signal?.aborted) throw this.timeout(deadlineMs);
      if (call.signal?.aborted) throw new CallAbortedError('The caller went away');
      if (error instanceof DomainException || error instanceof CallAbortedError) throw error;
      throw this.refusal({ headTimeoutMs: deadlineMs }, error);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', callerLeft);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async attempt(call: HttpCall): Promise<HttpAnswer> {
    const answer = await this.pool.request({
      method: call.method,
      path: `${this.basePath}${call.path}`,
      headers: tracingActive() ? withoutTraceContext(call.headers) : call.headers,
      body: call.body,
      signal: call.signal,
      headersTimeout: call.headTimeoutMs,
      bodyTimeout: call.bodyIdleTimeoutMs,
    });
    const body = answer.body;
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body,
      abort: () => {
        if (!body.destroyed) body.destroy();
      },
    };
  }

  private refusal(call: Pick<HttpCall, 'headTimeoutMs'>, error: unknown): DomainException {
    if (isTimeout(error)) return this.timeout(call.headTimeoutMs);
    return new DomainException(
      ErrorCode.ServiceUnavailable,
      `The ${this.service} service is unavailable`,
      { service: this.service },
      true,
    );
  }

  private timeout(ms: number): DomainException {
    return new DomainException(
      ErrorCode.ServiceUnavailable,
      `The ${this.service} service did not answer within ${ms} ms`,
      { service: this.service },
      true,
    );
  }
}

/** Reads an answer's body whole. */
export async function readWhole(answer: HttpAnswer): Promise<WholeAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer.body) chunks.push(chunk as Buffer);
  return { status: answer.status, headers: answer.headers, body: Buffer.concat(chunks) };
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.BodyTimeoutError
  );
}

function isReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof errors.SocketError || (typeof code === 'string' && RESET_CODES.has(code));
}

/**
 * With tracing on, the undici instrumentation writes the client span's `traceparent`; a caller's
 * copy would make a second header, which the next service could not parse.
 */
function withoutTraceContext(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'traceparent' && lower !== 'tracestate') out[name] = value;
  }
  return out;
}
