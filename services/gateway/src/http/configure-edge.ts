import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '@parley/config';

/**
 * Edge hygiene the shared HTTP shell leaves to the gateway (the trusted proxy hops, TRUST_PROXY_HOPS,
 * are given to the Fastify adapter when it is created: request.ip is the address the last trusted
 * proxy saw, and a client's own X-Forwarded-For entries beyond those hops are ignored):
 * CORS for the listed origins only (never `*`); credentials allowed, and only for them. Every answer
 * varies on Origin whether or not it is allowed (the CORS plugin adds `Vary: Origin`), so caches key on it.
 */
export function configureEdge(app: NestFastifyApplication, gateway: GatewayConfig): void {
  const allowed = new Set(gateway.corsOrigins);
  app.enableCors({
    origin: (origin: string | undefined, done: (error: Error | null, allow: string | boolean) => void) =>
      done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-ID', 'traceparent'],
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    maxAge: 600,
  });
}
