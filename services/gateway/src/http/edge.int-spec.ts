import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStandIn } from '../testing/auth-stand-in';
import { bearer, json, startGateway, type RunningGateway } from '../testing/start-gateway';

const TENANT = '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a';
const APP = 'https://app.example.com';

describe('edge hygiene', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;
  const signIn = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      HTTP_BODY_LIMIT_BYTES: '2048',
      CORS_ORIGINS: `${APP},https://admin.example.com`,
      TRUST_PROXY_HOPS: '0',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it.each([
    ['an oversized body', JSON.stringify({ email: 'x'.repeat(5000) }), 413, 'payload_too_large'],
    ['malformed JSON', '{"email": "a@b.c", ', 400, 'malformed_json'],
    ['a NUL byte in a value', JSON.stringify({ email: 'a\u0000@b.c' }), 400, 'validation_failed'],
    ['a NUL byte in a key', JSON.stringify({ 'e\u0000': 1 }), 400, 'validation_failed'],
  ])('answers %s with a clear 4xx, never a 500, and forwards nothing', async (_, body, status, code) => {
    const before = auth.received.length;
    const res = await signIn(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await json(res)).error).toMatchObject({ code, requestId: res.headers.get('x-request-id') });
    expect(auth.received.length).toBe(before);
  });

  it.each([
    ['/api/v1/me?role=owner', 'validation_failed'],
    ['/api/v1/tenant?tenantId=other', 'validation_failed'],
    ['/api/v1/me?q=%00', 'validation_failed'],
  ])('refuses unknown or NUL query fields on %s with 400', async (path, code) => {
    const token = await auth.mint({ tid: TENANT });
    const res = await fetch(`${gateway.url}${path}`, { headers: bearer(token) });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe(code);
  });

  it('puts a request id on every answer, keeping a well-formed one from the client', async () => {
    for (const [path, status] of [
      ['/api/v1/me', 401],
      ['/api/v1/nowhere', 404],
      ['/health/live', 200],
    ] as const) {
      const res = await fetch(`${gateway.url}${path}`, { headers: { 'x-request-id': `rid-${status}` } });
      expect(res.status).toBe(status);
      expect(res.headers.get('x-request-id')).toBe(`rid-${status}`);
    }
    const hostile = await fetch(`${gateway.url}/health/live`, { headers: { 'x-request-id': 'a b;c' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores a client-sent X-Forwarded-For with TRUST_PROXY_HOPS=0: the auth service sees the socket address', async () => {
    await signIn(JSON.stringify({ email: 'a@b.c' }), { 'x-forwarded-for': '203.0.113.99' });
    expect(auth.received.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  describe('CORS', () => {
    it('answers a listed origin with its own origin and credentials, on errors too', async () => {
      const res = await fetch(`${gateway.url}/api/v1/me`, { headers: { origin: APP } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/i);
      expect(res.headers.get('vary')).toMatch(/Origin/i);
    });

    it('answers a preflight from a listed origin, without allowing X-Tenant-ID', async () => {
      const res = await fetch(`${gateway.url}/api/v1/me`, {
        method: 'OPTIONS',
        headers: {
          origin: APP,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('x-tenant-id');
    });

    it('gives the X-Tenant-ID refusal the CORS headers of a listed origin (a browser can read it), none to another', async () => {
      const listed = await fetch(`${gateway.url}/api/v1/me`, { headers: { origin: APP, 'x-tenant-id': TENANT } });
      expect(listed.status).toBe(400);
      expect(listed.headers.get('access-control-allow-origin')).toBe(APP);
      expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(listed.headers.get('access-control-expose-headers')).toMatch(/X-Request-ID/i);
      expect((await json(listed)).error).toMatchObject({
        code: 'tenant_header_not_allowed',
        requestId: listed.headers.get('x-request-id'),
      });
      const other = await fetch(`${gateway.url}/api/v1/me`, {
        headers: { origin: 'https://evil.example.com', 'x-tenant-id': TENANT },
      });
      expect(other.status).toBe(400);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect((await json(other)).error.code).toBe('tenant_header_not_allowed');
    });

    it('answers an incomplete preflight (no Access-Control-Request-Method) with a JSON problem, 400 invalid_preflight', async () => {
      const listed = await fetch(`${gateway.url}/api/v1/me`, { method: 'OPTIONS', headers: { origin: APP } });
      expect(listed.status).toBe(400);
      expect(listed.headers.get('content-type')).toContain('application/json');
      expect(listed.headers.get('access-control-allow-origin')).toBe(APP);
      expect(listed.headers.get('access-control-allow-methods')).toBeNull();
      const body = await json(listed);
      expect(body.error).toMatchObject({ code: 'invalid_preflight', requestId: listed.headers.get('x-request-id') });
      expect(body.error.message).toMatch(/Access-Control-Request-Method/);
      const other = await fetch(`${gateway.url}/api/v1/me`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.com' },
      });
      expect(other.status).toBe(400);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect((await json(other)).error.code).toBe('invalid_preflight');
    });

    it.each(['https://evil.example.com', 'null', 'https://app.example.com.evil.io'])(
      'gives %s no CORS headers at all',
      async (origin) => {
        for (const method of ['GET', 'OPTIONS']) {
          const res = await fetch(`${gateway.url}/api/v1/me`, {
            method,
            headers: { origin, 'access-control-request-method': 'GET' },
          });
          expect(res.headers.get('access-control-allow-origin')).toBeNull();
          expect(res.headers.get('access-control-allow-credentials')).toBeNull();
          expect(res.headers.get('vary')).toMatch(/Origin/i);
        }
      },
    );
  });

  describe('OpenAPI', () => {
    it('serves Swagger UI at /api/docs', async () => {
      const res = await fetch(`${gateway.url}/api/docs`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/swagger/i);
    });

    it('documents every public route, the error format and the bearer scheme', async () => {
      const doc = await json(fetch(`${gateway.url}/api/docs-json`));
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.schemas.ProblemDto.properties.error.$ref).toBe('#/components/schemas/ProblemDetailDto');
      expect(doc.components.schemas.ProblemDetailDto.required).toEqual(
        expect.arrayContaining(['code', 'message', 'requestId']),
      );
      const paths = Object.keys(doc.paths);
      for (const path of [
        '/api/v1/me',
        '/api/v1/tenant',
        '/api/v1/health',
        '/api/v1/auth/sign-up',
        '/api/v1/auth/sign-in',
        '/api/v1/auth/refresh',
      ]) {
        expect(paths).toContain(path);
      }
      // The auth routes are documented one by one (from the route table), not as a catch-all.
      expect(paths).toEqual(
        expect.arrayContaining(['/api/v1/auth/members/{userId}', '/api/v1/auth/api-keys', '/api/v1/auth/invites']),
      );
      expect(paths.some((p) => p.startsWith('/api/v1/auth/{'))).toBe(false);
      expect(doc.paths['/api/v1/me'].get.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/v1/auth/sign-in'].post.security).toBeUndefined();
      for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(
        doc.paths,
      )) {
        if (!path.startsWith('/api/')) continue;
        for (const operation of Object.values(operations)) {
          expect(JSON.stringify(operation.responses), path).toContain('#/components/schemas/ProblemDto');
        }
      }
    });
  });
});
