import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES, toRouterPath, upstreamPathOf } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { offlineConfig, registeredRoutes, routeKey } from '@parley/testing';
import { AppModule } from '../../app.module';

describe('the gateway and the route table', () => {
  it('registers every route of the table at its public method and path, once', async () => {
    const routes = await registeredRoutes(
      AppModule.forRoot(offlineConfig('gateway'), createLogger('gateway', 'silent')),
    );
    for (const route of PUBLIC_ROUTES) expect(routes, route.id).toContain(routeKey(route.method, route.path));
    expect(routes).toContain('GET /api/v1/me');
    expect([...routes].filter((key) => key.startsWith('GET /api/v1/auth/{}'))).toEqual([]);
  });

  it('names every path parameter of a route in its upstream path, and back', () => {
    for (const route of PUBLIC_ROUTES) {
      const names = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(route.upstream.path), route.id).toEqual(names(route.path));
    }
  });

  it('re-encodes parameters into the upstream path and refuses dot segments', () => {
    const route = PUBLIC_ROUTES.find((r) => r.id === 'messages.send');
    if (!route) throw new Error('messages.send is in the table');
    expect(toRouterPath(route.path)).toBe('/api/v1/conversations/:id/messages');
    expect(upstreamPathOf(route, { id: '../../internal/x' })).toBe('/conversations/..%2F..%2Finternal%2Fx/messages');
    for (const id of ['', '.', '..']) expect(upstreamPathOf(route, { id }), id).toBeNull();
  });
});
