import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * Edge hygiene the shared HTTP shell leaves to the gateway (the trusted proxy hops, TRUST_PROXY_HOPS,
 * are given to the Fastify adapter when it is created: request.ip is the address the last trusted
 * proxy saw, and a client's own X-Forwarded-For entries beyond those hops are ignored):
 * CORS for the listed origins only (never `*`); credentials allowed, and only for them. Every answer
 * varies on Origin whether or not it is allowed (the CORS plugin adds `Vary: Origin`), so caches key on it.
 * The CORS headers are set before any other request hook (the adapter runs the CORS hook first), so
 * the refusals of later hooks (an X-Tenant-ID header, an incomplete preflight) carry them too and a
 * browser can read their problem answer.
 */
export function configureEdge(app: NestFastifyApplication, gateway: GatewayConfig): void {
  const allowed = new Set(gateway.corsOrigins);
  const options: CorsOptions = {
    origin: (origin: string | undefined, done: (error: Error | null, allow: string | boolean) => void) =>
      done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-ID', 'traceparent'],
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    maxAge: 600,
  };
  // An incomplete preflight is not answered by the CORS plugin (its 400 is plain text): it gets its
  // CORS headers as any request does, and the hook below refuses it with a problem answer.
  const notAPreflight = { ...options, preflight: false };
  const delegate = (request: FastifyRequest, callback: (error: Error | null, options: CorsOptions) => void) =>
    callback(null, isIncompletePreflight(request) ? notAPreflight : options);
  // The adapter hands a `(request, callback)` function to @fastify/cors as its options delegate; its type names only options.
  app.enableCors(delegate as unknown as CorsOptions);
  app.getHttpAdapter().getInstance().addHook('onRequest', rejectIncompletePreflight);
}

/** An OPTIONS request naming an Origin but no Access-Control-Request-Method: not a CORS preflight. */
function isIncompletePreflight(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] === undefined
  );
}

/** 400 `invalid_preflight` (a JSON problem, with the CORS headers of an allowed origin) for an incomplete preflight. */
function rejectIncompletePreflight(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  if (!isIncompletePreflight(request)) {
    done();
    return;
  }
  done(
    new DomainException(
      ErrorCode.InvalidPreflight,
      'A CORS preflight needs the Origin and Access-Control-Request-Method headers',
    ),
  );
}
