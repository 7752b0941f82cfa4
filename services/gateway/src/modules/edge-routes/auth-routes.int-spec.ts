import 'reflect-metadata';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

const TENANT = '5c4b3a29-1807-4f6e-8d5c-4b3a29180706';
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A request with its path sent exactly as written (fetch would resolve the dot segments). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.path = path;
    req.end();
  });
}

describe('forwarding the auth routes of the route table to the auth service over HTTP', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud', AUTH_JWKS_URL: auth.jwksUrl, AUTH_SERVICE_URL: auth.url });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it('forwards a public sign-in: method, JSON body, request id and trace; passes status, body and headers back', async () => {
    auth.reply = (req) =>
      req.url === '/auth/sign-in'
        ? {
            status: 401,
            headers: { 'retry-after': '30', 'cache-control': 'no-store', 'x-internal': 'secret', 'set-cookie': 'a=b' },
            body: { error: { code: 'invalid_credentials', message: 'no', requestId: 'r' } },
          }
        : undefined;
    const res = await fetch(`${gateway.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-sign-in',
        traceparent: TRACE,
        cookie: 'session=abc',
        'x-user-id': 'spoofed',
      },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('ratelimit-limit')).not.toBeNull();
    expect((await json(res)).error.code).toBe('invalid_credentials');

    const seen = auth.received.at(-1);
    expect(seen).toMatchObject({ method: 'POST', url: '/auth/sign-in' });
    expect(JSON.parse(seen?.body ?? '{}')).toEqual({ email: 'ada@example.com', password: 'correct horse' });
    expect(seen?.headers['x-request-id']).toBe('req-sign-in');
    expect(seen?.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(seen?.headers.traceparent).not.toBe(TRACE);
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers['x-user-id']).toBeUndefined();
    auth.reply = undefined;
  });

  it('forwards other auth routes only with a valid token, which travels along', async () => {
    const before = auth.received.length;
    const anonymous = await fetch(`${gateway.url}/api/v1/auth/members`);
    expect(anonymous.status).toBe(401);
    expect(auth.received.length).toBe(before);

    const token = await auth.mint({ tid: TENANT });
    const res = await fetch(`${gateway.url}/api/v1/auth/api-keys/k%20one?all=1`, {
      method: 'DELETE',
      headers: bearer(token),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).echo).toMatchObject({ method: 'DELETE', url: '/auth/api-keys/k%20one?all=1' });
    expect(auth.received.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('forwards only the routes of the table: any other path under /api/v1/auth is 404 route_not_found', async () => {
    const before = auth.received.length;
    const token = await auth.mint({ tid: TENANT });
    for (const [method, path] of [
      ['GET', '/api/v1/auth/sessions'],
      ['POST', '/api/v1/auth/members'],
      ['PUT', '/api/v1/auth/api-keys/k_1'],
    ] as const) {
      const res = await fetch(`${gateway.url}${path}`, { method, headers: bearer(token) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await json(res)).error.code).toBe('route_not_found');
    }
    expect(auth.received.length).toBe(before);
  });

  it.each([
    '/api/v1/auth/../../internal/tenants',
    '/api/v1/auth/%2e%2e/%2e%2e/internal/tenants',
    '/api/v1/auth/x/..%2f..%2finternal',
    '/api/v1/auth/members/%2e%2e',
    '/api/v1/auth/invites/..%2f..%2finternal',
  ])('never lets %s leave the /auth subtree', async (path) => {
    const before = auth.received.length;
    const token = await auth.mint({ tid: TENANT });
    const status = await rawGet(gateway.url, path, bearer(token));
    expect(status).toBe(404);
    expect(auth.received.slice(before).map((r) => r.url)).toEqual([]);
  });
});

describe('when the auth service is down', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: `${closed}/.well-known/jwks.json`,
      AUTH_SERVICE_URL: closed,
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('answers a forwarded call with 503 service_unavailable', async () => {
    const res = await fetch(`${gateway.url}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c' }),
    });
    expect(res.status).toBe(503);
    expect((await json(res)).error).toMatchObject({ code: 'service_unavailable', details: { service: 'auth' } });
  });

  it('answers 503, not 401, when the key set cannot be fetched to verify a token', async () => {
    const standIn = await AuthStandIn.start();
    try {
      const token = await standIn.mint({ tid: TENANT });
      const res = await fetch(`${gateway.url}/api/v1/me`, { headers: bearer(token) });
      expect(res.status).toBe(503);
      expect((await json(res)).error.code).toBe('service_unavailable');
    } finally {
      await standIn.close();
    }
  });
});
