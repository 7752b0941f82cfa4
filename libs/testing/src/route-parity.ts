import 'reflect-metadata';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { MODULE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { loadConfig, type AppConfig, type ServiceName } from '@parley/config';
import { PUBLIC_ROUTES, type UpstreamService } from '@parley/contracts';

/** A route a NestJS app registers: `GET /conversations/{}` (parameters unnamed). */
export type RouteKey = string;

/**
 * Routes that are not the public API, by rule: service-to-service (`internal/...`), probes and
 * scrapes (`health/...`, `metrics`), and the auth service's key set (`.well-known/...`).
 */
export function isExcludedRoute(path: string): boolean {
  return /^\/(internal|health|metrics|\.well-known)(\/|$)/.test(path);
}

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule> | undefined;

/**
 * Every route the module graph of a NestJS app registers, read from the same decorator metadata
 * the Nest router reads (modules' `imports` and `controllers`, controllers' and handlers' `path`
 * and `method`), without starting anything.
 */
export async function registeredRoutes(root: DynamicModule | Type<unknown>): Promise<Set<RouteKey>> {
  const routes = new Set<RouteKey>();
  const seen = new Set<unknown>();
  const visit = async (ref: ModuleRef): Promise<void> => {
    const module = await ref;
    if (!module || seen.has(module)) return;
    seen.add(module);
    const type = 'module' in module ? module.module : module;
    const dynamic = 'module' in module ? module : undefined;
    const controllers = [
      ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type<unknown>[] | undefined) ?? []),
      ...(dynamic?.controllers ?? []),
    ];
    for (const controller of controllers) for (const key of controllerRoutes(controller)) routes.add(key);
    const imports = [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? []),
      ...((dynamic?.imports ?? []) as ModuleRef[]),
    ];
    for (const imported of imports) await visit(imported);
  };
  await visit(root);
  return routes;
}

function controllerRoutes(controller: Type<unknown>): RouteKey[] {
  const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
  const keys: RouteKey[] = [];
  const prototype = controller.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function') continue;
    const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
    if (paths === undefined) continue;
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    for (const prefix of prefixes) for (const path of asList(paths)) keys.push(routeKey(method, join(prefix, path)));
  }
  return keys;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? value : [value];
}

function join(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** `GET`, `/a/:id/b` or `/a/{id}/b` → `GET /a/{}/b`. */
export function routeKey(method: string, path: string): RouteKey {
  return `${method} ${path.replace(/:[A-Za-z0-9_]+|\{[A-Za-z0-9_]+\}/g, '{}')}`;
}

/** A configuration to build a service's module graph with: nothing is connected to. */
export function offlineConfig(service: ServiceName): AppConfig {
  return loadConfig(service, {
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://parity@127.0.0.1:1/parity',
    REDIS_URL: 'redis://127.0.0.1:1',
    KAFKA_BROKERS: '127.0.0.1:1',
  });
}

export interface RouteParity {
  /** Every route the service registers (excluded ones included). */
  registered: RouteKey[];
  /** Public routes the service registers that the table does not declare. */
  notInTable: RouteKey[];
  /** Routes the table sends to the service that it does not register. */
  notInService: RouteKey[];
}

/**
 * Compares a service's registered routes (minus the excluded ones) with the table's routes whose
 * upstream is that service (`null`: a service that owns no public route).
 */
export async function routeParity(
  service: UpstreamService | null,
  root: DynamicModule | Type<unknown>,
): Promise<RouteParity> {
  const registered = await registeredRoutes(root);
  const declared = new Set(
    PUBLIC_ROUTES.filter((r) => r.upstream.service === service).map((r) => routeKey(r.method, r.upstream.path)),
  );
  const exposed = [...registered].filter((key) => !isExcludedRoute(key.slice(key.indexOf(' ') + 1)));
  return {
    registered: [...registered].sort(),
    notInTable: exposed.filter((key) => !declared.has(key)).sort(),
    notInService: [...declared].filter((key) => !registered.has(key)).sort(),
  };
}
