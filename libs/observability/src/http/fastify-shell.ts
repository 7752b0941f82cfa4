import { HttpException } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '@parley/contracts';
import { RequestContext, type RequestContextData } from '../context/request-context';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { traceparentOf } from '../tracing/spans';
import { parseJsonBody, readRawBody, type FastifyBodyRules, type WithRawBody } from './fastify-body';
import type { ProblemFilter } from './problem.filter';
import { nulRefusal } from './reject-nul-bytes.middleware';

const CONTEXT = Symbol('parley.request-context');
type WithContext = { [CONTEXT]?: RequestContextData };

/**
 * The HTTP shell on Fastify, the same rules as on Express (http-app.factory):
 * - the request context opens in the adapter's first `onRequest` hook (request id, trace: before
 *   CORS and Nest middleware, as on Express) and is entered again at
 *   `preHandler`, so guards, handlers and filters run in it (Fastify's hooks do not nest);
 * - `x-request-id` is set on the bare response, so every way of answering keeps it;
 * - HTTP metrics by matched route (`unmatched` otherwise), counted when the response finishes;
 * - JSON bodies (and `application/scim+json`) parsed by `parseJsonBody`; paths of `rawJsonPaths`
 *   left unread for their handler, `rawBodyPaths` read into `req.rawBody`; any other media type
 *   left unread (as Express leaves a body no parser claims);
 * - NUL bytes refused after parsing; errors before a handler (parsing, hooks) go to the problem filter.
 */
export function installFastifyShell(
  adapter: FastifyAdapter,
  metrics: ServiceMetrics,
  filter: ProblemFilter,
  rules: FastifyBodyRules,
): void {
  const fastify = adapter.getInstance<FastifyInstance>();
  adapter.setOnRequestHook((request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const context: RequestContextData = {
      requestId: RequestContext.sanitizeRequestId(headerOf(request, 'x-request-id')),
      traceparent: traceparentOf() ?? RequestContext.sanitizeTraceparent(headerOf(request, 'traceparent')),
    };
    (request as WithContext)[CONTEXT] = context;
    reply.raw.setHeader('x-request-id', context.requestId);
    const started = process.hrtime.bigint();
    reply.raw.on('finish', () => {
      const route = request.is404 ? undefined : request.routeOptions.url;
      const labels = { method: request.method, route: route ?? 'unmatched', status: String(reply.raw.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    RequestContext.run(context, () => done());
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = (request as WithContext)[CONTEXT];
    if (context) RequestContext.run(context, () => done());
    else done();
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    done(nulRefusal(request.body, request.url) ?? undefined);
  });
  installBodyParsers(fastify, rules);
  fastify.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const context = (request as WithContext)[CONTEXT];
    const answer = () =>
      filter.catch(asHttpError(error), {
        getType: () => 'http',
        switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
      } as never);
    if (context) RequestContext.run(context, answer);
    else answer();
  });
}

function installBodyParsers(fastify: FastifyInstance, rules: FastifyBodyRules): void {
  fastify.removeAllContentTypeParsers();
  const keepRaw = (request: FastifyRequest) => {
    const path = pathOf(request.url);
    return rules.rawBodyPaths.find((entry) => entry.path.test(path));
  };
  // Any other media type: the body stays unread for the handler that wants it (a form post relayed as is).
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    const raw = keepRaw(request);
    if (!raw) return done(null, undefined);
    readRawBody(request.raw, raw.maxBytes).then(
      (bytes) => {
        (request as WithRawBody).rawBody = bytes;
        done(null, undefined);
      },
      (error: Error) => done(error, undefined),
    );
  });
  // SCIM clients (Okta, Entra) send `application/scim+json`.
  fastify.addContentTypeParser(['application/json', 'application/scim+json'], (request, _payload, done) => {
    const raw = keepRaw(request);
    const path = pathOf(request.url);
    if (!raw && rules.rawJsonPaths.some((pattern) => pattern.test(path))) return done(null, undefined);
    const reading = raw
      ? readRawBody(request.raw, raw.maxBytes).then((bytes) => {
          (request as WithRawBody).rawBody = bytes;
          return undefined;
        })
      : parseJsonBody(request.raw, rules);
    reading.then(
      (body) => done(null, body),
      (error: Error) => done(error, undefined),
    );
  });
}

/** Fastify's own refusals (a bad Content-Length, a bad URL) keep their 4xx status. */
function asHttpError(error: unknown): unknown {
  if (error instanceof DomainException || error instanceof HttpException) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpException((error as Error).message, status);
  }
  return error;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
