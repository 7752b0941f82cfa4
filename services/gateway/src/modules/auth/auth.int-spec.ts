import 'reflect-metadata';
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@parley/config';
import { createLogger } from '@parley/observability';
import { freePort, ServiceProcess, testConfig, testEnv, uniqueSuffix } from '@parley/testing';
import { createGatewayApp } from '../../create-app';
import { AuthStandIn, newSigningKey, TEST_AUDIENCE, TEST_ISSUER } from '../../testing/auth-stand-in';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

const TENANT = '3b0f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f';
const OTHER_TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('gateway auth edge (tokens from a real JWKS over HTTP)', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;
  const me = (headers: Record<string, string> = {}, query = '') =>
    fetch(`${gateway.url}/api/v1/me${query}`, { headers });

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it('lets a valid token reach /api/v1/me with its tenant, user, role, plan and session', async () => {
    const token = await auth.mint({ tid: TENANT, sub: 'user-42', role: 'admin', plan: 'pro', sid: 'sess-7' });
    const res = await me({ ...bearer(token), 'x-request-id': 'req-me-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-me-1');
    expect(res.headers.get('ratelimit-limit')).toBe('600');
    expect(await res.json()).toEqual({
      kind: 'user',
      tenantId: TENANT,
      userId: 'user-42',
      role: 'admin',
      plan: 'pro',
      sessionId: 'sess-7',
    });
  });

  it('accepts a token minted a moment ago on a clock slightly ahead (within the tolerance)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await auth.mint({ tid: TENANT }, { notBefore: now + 2 });
    expect((await me(bearer(token))).status).toBe(200);
  });

  const attacks: [string, () => Promise<string>, string][] = [
    ['no credentials at all', async () => '', 'authentication_required'],
    [
      'alg: none',
      async () => {
        const valid = await auth.mint({ tid: TENANT });
        const payload = valid.split('.')[1];
        return `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: 'key-1' })}.${payload}.`;
      },
      'invalid_access_token',
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(auth.key.publicKey));
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({ tid: TENANT, role: 'owner', sid: 's', plan: 'enterprise' })
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .setSubject('attacker')
          .setIssuedAt(now)
          .setNotBefore(now)
          .setExpirationTime(now + 600)
          .setJti('j')
          .sign(secret);
        return `Bearer ${token}`;
      },
      'invalid_access_token',
    ],
    [
      'an expired token',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { expiresAt: Math.floor(Date.now() / 1000) - 60 })}`,
      'access_token_expired',
    ],
    [
      'a not-yet-valid token',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { notBefore: Math.floor(Date.now() / 1000) + 120 })}`,
      'invalid_access_token',
    ],
    [
      'a tampered token (tenant changed, signature kept)',
      async () => {
        const [header, payload, signature] = (await auth.mint({ tid: TENANT })).split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
        return `Bearer ${header}.${b64({ ...claims, tid: OTHER_TENANT })}.${signature}`;
      },
      'invalid_access_token',
    ],
    [
      'another issuer',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { issuer: 'evil' })}`,
      'invalid_access_token',
    ],
    [
      'another audience',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { audience: 'other-api' })}`,
      'invalid_access_token',
    ],
    [
      'an unknown kid',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { key: await newSigningKey('key-unknown') })}`,
      'invalid_access_token',
    ],
    [
      'a known kid with a foreign key',
      async () => `Bearer ${await auth.mint({ tid: TENANT }, { key: await newSigningKey('key-1') })}`,
      'invalid_access_token',
    ],
    ['a tenant that is not a UUID', async () => `Bearer ${await auth.mint({ tid: 'acme' })}`, 'invalid_access_token'],
    ['an unknown role', async () => `Bearer ${await auth.mint({ tid: TENANT, role: 'root' })}`, 'invalid_access_token'],
    ['garbage', async () => 'Bearer garbage', 'invalid_access_token'],
    ['three garbage parts', async () => 'Bearer a.b.c', 'invalid_access_token'],
    ['another scheme', async () => 'Basic dXNlcjpwYXNz', 'invalid_access_token'],
    ['an oversized token', async () => `Bearer ${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`, 'invalid_access_token'],
  ];

  it.each(attacks)('rejects %s with 401', async (_, authorization, code) => {
    const header = await authorization();
    const res = await me(header ? { authorization: header } : {});
    expect(res.status).toBe(401);
    expect((await json(res)).error).toMatchObject({ code, requestId: expect.any(String) });
  });

  it('fetched the key set once and kept it, even for unknown kids (cooldown)', () => {
    expect(auth.jwksFetches).toBeGreaterThanOrEqual(1);
    expect(auth.jwksFetches).toBeLessThanOrEqual(2);
  });

  it.each([
    ['X-Tenant-ID', '/api/v1/me', true],
    ['x-tenant-id', '/api/v1/tenant', true],
    ['X-TENANT-ID', '/api/v1/auth/sign-in', false],
    ['x-Tenant-Id', '/api/v1/auth/sessions', true],
    ['X-Tenant-ID', '/api/v1/health', false],
  ])('refuses a client %s header on %s with 400 and forwards nothing', async (name, path, withToken) => {
    const before = auth.received.length;
    const token = await auth.mint({ tid: TENANT });
    const res = await fetch(`${gateway.url}${path}`, {
      method: path.endsWith('sign-in') ? 'POST' : 'GET',
      headers: { [name]: OTHER_TENANT, 'content-type': 'application/json', ...(withToken ? bearer(token) : {}) },
      body: path.endsWith('sign-in') ? JSON.stringify({ email: 'a@b.c', password: 'x' }) : undefined,
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('tenant_header_not_allowed');
    expect(auth.received.length).toBe(before);
  });

  it('refuses query parameters it does not know (no way to name a tenant)', async () => {
    const token = await auth.mint({ tid: TENANT });
    const res = await me(bearer(token), `?tenantId=${OTHER_TENANT}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('validation_failed');
  });

  it('keeps probes, metrics and docs public', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/api/docs-json']) {
      expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(200);
    }
    const unknown = await fetch(`${gateway.url}/api/v1/nope`);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('route_not_found');
  });
});

describe('refused credentials per address, with a token the gateway still remembers', () => {
  const LIMIT = 3;
  let auth: AuthStandIn;
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      TRUST_PROXY_HOPS: '1',
      AUTH_FAILURE_LIMIT: String(LIMIT),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it('refuses an address at its limit (429) even for a valid token verified a moment before', async () => {
    const address = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const from = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/api/v1/me`, { headers: { ...headers, 'x-forwarded-for': address } });
    const token = await auth.mint({ tid: TENANT, sub: `user-${uniqueSuffix()}` });
    expect((await from(bearer(token))).status).toBe(200); // verified, now remembered
    for (let i = 0; i < LIMIT; i++) expect((await from({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    const res = await from(bearer(token));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another address with the same token is served.
    const other = await fetch(`${gateway.url}/api/v1/me`, {
      headers: { ...bearer(token), 'x-forwarded-for': `${address}1` },
    });
    expect(other.status).toBe(200);
  });
});

describe('AUTH_REQUIRED=false', () => {
  it('is refused outside self-hosted mode, naming both variables', async () => {
    const config = testConfig('gateway', {
      topicPrefix: `g${uniqueSuffix()}.`,
      extra: { AUTH_REQUIRED: 'false', DEPLOYMENT_MODE: 'cloud' },
    });
    const failure = createGatewayApp(config, createLogger('gateway', 'silent'));
    await expect(failure).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(failure).rejects.toThrow(/AUTH_REQUIRED.*DEPLOYMENT_MODE/);
  });

  it('stops the built gateway at boot with exit code 78', async () => {
    const env = testEnv({
      topicPrefix: `g${uniqueSuffix()}.`,
      extra: { AUTH_REQUIRED: 'false', DEPLOYMENT_MODE: 'cloud' },
    });
    const gateway = new ServiceProcess('gateway', await freePort(), env).start();
    expect(await gateway.waitExit()).toBe(78);
    expect(gateway.output).toMatch(/Invalid configuration for service "gateway"[\s\S]*AUTH_REQUIRED/);
  });
});
