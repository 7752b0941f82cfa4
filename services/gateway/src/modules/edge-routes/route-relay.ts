import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { PublicRoute } from '@parley/contracts';
import { principalOf } from '../auth/principal';
import {
  clearedCookie,
  refreshRequestBody,
  toCookieSession,
  wantsCookieSession,
  type BufferedAnswer,
} from './session-cookie';
import { ssoBrowserSession } from './sso-browser-session';
import type { ForwardRouteUseCase } from './usecases/forward-route/forward-route.usecase';
import { CallAbortedError, type HttpAnswer } from '@parley/observability';

/** Response headers of a service that reach the client; the rest (server details, cookies) stay. */
const PASSED_BACK = [
  'content-type',
  'content-length',
  'retry-after',
  'cache-control',
  'www-authenticate',
  'location',
  // The file name of a download (an audit log export).
  'content-disposition',
] as const;

/**
 * One public call by the route table: forwarded to the owning service, its answer relayed as it
 * arrives (an SSE answer frame by frame). A client that goes away (the response closes before it
 * finished) destroys the upstream request at once, also while the head is awaited: the
 * orchestrator then aborts the provider and keeps the partial answer as `stopped`. Routes with a
 * session-cookie effect have their answer read whole to move the refresh token into the cookie.
 */
export async function forwardHttp(
  forward: ForwardRouteUseCase,
  route: PublicRoute,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const gone = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  // Already gone while the guards ran: nothing is forwarded.
  if (!reply.raw.socket || reply.raw.socket.destroyed) gone.abort();
  const cookieMode = wantsCookieSession(req);
  let body: unknown = req.body;
  if (route.session === 'refresh') body = refreshRequestBody(req, body);
  const query = req.url.indexOf('?');
  const secure = req.protocol === 'https';
  let upstream: HttpAnswer;
  try {
    upstream = await forward.execute({
      route,
      params: req.params as Record<string, string>,
      search: query === -1 ? '' : req.url.slice(query),
      body,
      rawBody: await rawBodyOf(route, req),
      principal: principalOf(req),
      authorization: req.headers.authorization,
      clientIp: req.ip,
      userAgent: req.headers['user-agent'],
      stream: route.streaming === 'sse' && wantsEventStream(req),
      signal: gone.signal,
    });
  } catch (error) {
    if (error instanceof CallAbortedError) return; // nobody is listening any more
    throw error;
  }
  if (route.session === 'sso') {
    send(takeOver(reply), ssoBrowserSession(await readWhole(upstream), secure, acceptsHtml(req)));
    return;
  }
  if (route.session && cookieMode) {
    const answer = await readWhole(upstream);
    send(
      takeOver(reply),
      route.session === 'end'
        ? clearedCookie(answer, secure)
        : toCookieSession(answer, secure, route.session === 'refresh'),
    );
    return;
  }
  relay(upstream, takeOver(reply));
}

/**
 * The answer is written to the bare response as it arrives (no buffering by Fastify): the headers
 * the guards and hooks set on the reply (RateLimit-*, CORS, Retry-After) go onto it first.
 */
function takeOver(reply: FastifyReply): ServerResponse {
  const res = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  reply.hijack();
  return res;
}

/**
 * The body of a `raw` route (a form an identity provider posts), read whole within its bound: only
 * the media types the route names (else 415), at most `maxBytes` (else 413), before anything is
 * forwarded.
 */
async function rawBodyOf(
  route: PublicRoute,
  req: FastifyRequest,
): Promise<{ stream: Readable; contentType: string; headers: Record<string, string> } | undefined> {
  const spec = route.request?.body;
  if (spec?.encoding !== 'raw') return undefined;
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  // A JSON body was parsed already: it is not one of a raw route's media types either.
  if (!spec.contentTypes.includes(type) || req.body !== undefined) {
    throw new DomainException(ErrorCode.UnsupportedMediaType, `Expected ${spec.contentTypes.join(' or ')}`);
  }
  const tooLarge = () =>
    new DomainException(ErrorCode.PayloadTooLarge, `The body is larger than ${spec.maxBytes} bytes`, {
      limit: spec.maxBytes,
    });
  if (Number(req.headers['content-length'] ?? 0) > spec.maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > spec.maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  for (const name of spec.forwardHeaders ?? []) {
    const value = req.headers[name];
    if (typeof value === 'string' && value.length <= 2048) headers[name] = value;
  }
  return { stream: Readable.from([Buffer.concat(chunks)]), contentType, headers };
}

function relay(upstream: HttpAnswer, res: ServerResponse): void {
  res.statusCode = upstream.status;
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

async function readWhole(upstream: HttpAnswer): Promise<BufferedAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of upstream.body) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = upstream.headers[name];
    if (typeof value === 'string' && name !== 'content-length') headers[name] = value;
  }
  return { status: upstream.status, headers, body: Buffer.concat(chunks) };
}

function send(res: ServerResponse, answer: BufferedAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}

function wantsEventStream(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}

function isEventStream(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream');
}

/** A browser navigating (a form post or redirect from an identity provider), not a script. */
function acceptsHtml(req: FastifyRequest): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? '');
}
