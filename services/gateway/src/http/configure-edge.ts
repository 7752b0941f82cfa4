import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GatewayConfig } from '@parley/config';

/**
 * Edge hygiene the shared HTTP shell leaves to the gateway:
 * - `trust proxy` = TRUST_PROXY_HOPS, so req.ip is the address the last trusted proxy saw and a
 *   client's own X-Forwarded-For entries beyond those hops are ignored;
 * - CORS for the listed origins only (never `*`); credentials allowed, and only for them.
 */
export function configureEdge(app: NestExpressApplication, gateway: GatewayConfig): void {
  app.set('trust proxy', gateway.trustProxyHops);
  const allowed = new Set(gateway.corsOrigins);
  // The answer depends on Origin whether or not it is allowed: caches must key on it.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.vary('Origin');
    next();
  });
  app.enableCors({
    origin: (origin: string | undefined, done: (error: Error | null, allow?: string | false) => void) =>
      done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-ID', 'traceparent'],
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    maxAge: 600,
  });
}
