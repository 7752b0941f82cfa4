import { type DynamicModule, type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '@parley/config';
import type { Logger } from '../logging/logger';
import { NestPinoLogger } from '../logging/nest-logger';
import { ServiceMetrics } from '../metrics/service-metrics';
import { bodyParserRefusal, charsetRefusal, jsonShapeVerifier } from './json-body-guard';
import { installFastifyShell } from './fastify-shell';
import { ProblemFilter } from './problem.filter';
import { registerDependencyPeers } from './dependency-outage';
import { rejectNulBytes } from './reject-nul-bytes.middleware';
import { requestContextMiddleware } from './request-context.middleware';

/**
 * The HTTP shell every service shares: JSON logs, request context and metrics, an explicit JSON
 * body limit (413), malformed JSON as 400, bounded JSON shape and encoding (json-body-guard), strict DTO validation, one problem filter. Signals are handled by runService, which calls
 * app.close() (Nest's own shutdown hooks would re-raise the signal and skip a clean exit code).
 */
export interface HttpAppOptions {
  /**
   * Paths whose JSON body must reach the handler unparsed (a body signed byte for byte, such as a
   * Stripe webhook forwarded by the gateway): the JSON parser leaves these requests alone.
   */
  rawJsonPaths?: readonly RegExp[];
  /**
   * Paths whose handler verifies a signature over the exact bytes sent (a Stripe webhook): the body
   * is read whole into `req.rawBody` (at most `maxBytes`, else 413 `payload_too_large`; a
   * content-encoded body is 415) and never parsed.
   */
  rawBodyPaths?: readonly { path: RegExp; maxBytes: number }[];
  /**
   * The HTTP adapter: Express (the default) or Fastify (the gateway: about twice the throughput per
   * forwarding hop, docs/benchmarks/gateway-adapters.md). The same limits, codes and context on both.
   */
  adapter?: 'express' | 'fastify';
  /** Fastify only (Express sets `trust proxy` on the app): how many proxy hops in front are trusted for the client address. */
  trustProxyHops?: number;
}

/** A request whose body was kept as bytes (`HttpAppOptions.rawBodyPaths`). */
export type RawBodyRequest = Request & { rawBody?: Buffer };

export async function createHttpApp(
  rootModule: DynamicModule,
  config: AppConfig,
  logger: Logger,
  options: HttpAppOptions = {},
): Promise<INestApplication> {
  registerDependencyPeers({
    postgres: config.database ? [config.database.url] : [],
    redis: [config.redis.url],
    kafka: config.kafka.brokers,
  });
  const filter = new ProblemFilter(logger);
  const app =
    options.adapter === 'fastify'
      ? await createFastifyApp(rootModule, config, logger, filter, options)
      : await createExpressApp(rootModule, config, logger, filter, options);
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(filter);
  return app;
}

async function createFastifyApp(
  rootModule: DynamicModule,
  config: AppConfig,
  logger: Logger,
  filter: ProblemFilter,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const hops = options.trustProxyHops ?? 0;
  const adapter = new FastifyAdapter({
    // As Express: the n proxies nearest to this server are trusted for the client's address.
    trustProxy: (_address: string, hop: number) => hop < hops,
    forceCloseConnections: true,
    bodyLimit: config.httpBodyLimitBytes,
    // As Express routes: case-insensitive, a trailing slash ignored, path parameters of any length.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  installFastifyShell(adapter, app.get(ServiceMetrics), filter, {
    limitBytes: config.httpBodyLimitBytes,
    json: config.httpJson,
    rawJsonPaths: options.rawJsonPaths ?? [],
    rawBodyPaths: options.rawBodyPaths ?? [],
  });
  return app;
}

async function createExpressApp(
  rootModule: DynamicModule,
  config: AppConfig,
  logger: Logger,
  filter: ProblemFilter,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
    forceCloseConnections: true,
    abortOnError: false, // a wiring error throws (and names the provider) instead of aborting the process
  });
  app.disable('x-powered-by');
  app.use(requestContextMiddleware(app.get(ServiceMetrics)));
  app.use((req: Request, _res: Response, next: NextFunction) =>
    next(charsetRefusal(req.headers['content-type']) ?? undefined),
  );
  // SCIM clients (Okta, Entra) send `application/scim+json`.
  const json = express.json({
    type: ['application/json', 'application/scim+json'],
    limit: config.httpBodyLimitBytes,
    strict: true,
    verify: jsonShapeVerifier(config.httpJson),
  });
  const raw = options.rawJsonPaths ?? [];
  const bytes = (options.rawBodyPaths ?? []).map(({ path, maxBytes }) => ({
    path,
    read: express.raw({ type: () => true, limit: maxBytes, inflate: false }),
  }));
  app.use((req: RawBodyRequest, res: Response, next: NextFunction) => {
    const keep = bytes.find(({ path }) => path.test(req.path));
    if (keep) {
      return keep.read(req, res, (error?: unknown) => {
        req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        req.body = undefined;
        next(error);
      });
    }
    return raw.some((path) => path.test(req.path)) ? next() : json(req, res, next);
  });
  app.use(rejectNulBytes);
  // Body-parser failures happen before Nest's router; route them through the same problem mapper.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    filter.catch(bodyParserRefusal(error) ?? error, {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
    } as never);
  });
  return app;
}
