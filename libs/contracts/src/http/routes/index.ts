import { ANALYTICS_ROUTES } from './analytics.routes';
import { AUTH_ROUTES } from './auth.routes';
import { BILLING_ROUTES } from './billing.routes';
import { CHAT_ROUTES } from './chat.routes';
import { SSO_ROUTES } from './sso.routes';
import { STT_ROUTES } from './stt.routes';
import type { PublicRoute, UpstreamService, UpstreamServiceSpec } from './public-route';

export * from './public-route';
export { ANALYTICS_ROUTES } from './analytics.routes';
export { AUTH_ROUTES } from './auth.routes';
export { BILLING_ROUTES } from './billing.routes';
export { CHAT_ROUTES } from './chat.routes';
export { SSO_ROUTES } from './sso.routes';
export { STT_ROUTES } from './stt.routes';
export { buildOpenApiPaths, type OpenApiFragment } from './openapi';

/**
 * How the gateway talks to each service that owns public routes. Adding a service: its base URL in
 * the gateway's config (`<NAME>_SERVICE_URL`), one line here, and its routes file below.
 */
export const UPSTREAM_SERVICE_SPECS: Readonly<Record<UpstreamService, UpstreamServiceSpec>> = {
  // Sign-up includes provisioning a tenant over Kafka: time, but not forever.
  auth: { credential: 'client-authorization', timeoutMs: 10_000 },
  chat: { credential: 'principal-token', timeoutMs: 15_000 },
  billing: { credential: 'principal-token', timeoutMs: 10_000 },
  // Transcribing an upload of the longest allowed audio on a busy pool takes a while.
  stt: { credential: 'principal-token', timeoutMs: 120_000 },
  analytics: { credential: 'principal-token', timeoutMs: 10_000 },
};

/**
 * Every public route the gateway forwards, declared once: the gateway registers, authenticates,
 * limits and forwards by it, the OpenAPI document is generated from it, and the route parity test
 * compares it with the services' own routes. Gateway-local routes (`/api/v1/me`, `/api/v1/tenant`,
 * `/api/v1/health`, `/ws`, the web app) are not in it.
 */
export const PUBLIC_ROUTES: readonly PublicRoute[] = assertDistinct([
  ...AUTH_ROUTES,
  ...CHAT_ROUTES,
  ...SSO_ROUTES,
  ...BILLING_ROUTES,
  ...STT_ROUTES,
  ...ANALYTICS_ROUTES,
]);

export function publicRoute(id: string): PublicRoute {
  const route = PUBLIC_ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`No public route ${id}`);
  return route;
}

function assertDistinct(routes: PublicRoute[]): PublicRoute[] {
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (ids.has(route.id) || keys.has(key)) throw new Error(`Public route declared twice: ${route.id} (${key})`);
    ids.add(route.id);
    keys.add(key);
  }
  return routes;
}
