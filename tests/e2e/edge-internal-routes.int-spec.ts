import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceCredentialHeaders } from '@parley/testing';
import { EdgeStack, type Member } from './support/edge-stack';

/** As many refused API keys as auth verifies per window in this stack. */
const VERIFY_FAILURE_LIMIT = 5;

/** A well-formed key nobody issued (auth's format: `pk_<8 of a-z0-9>_<43 of base64url>`). */
const guessedKey = () => `pk_${randomUUID().slice(0, 8)}_${randomBytes(32).toString('base64url').slice(0, 43)}`;

/**
 * Service-to-service routes (issue 10, defect 6): every `internal/...` route of tenant, analytics
 * and auth answers only a caller with a service credential; the API-key verification route is
 * rate limited. Driven against the real services, as processes.
 */
describe('internal routes need a service credential', () => {
  let stack: EdgeStack;
  let owner: Member;

  beforeAll(async () => {
    stack = await EdgeStack.start({
      analytics: true,
      authEnv: { API_KEY_VERIFY_FAILURE_LIMIT: String(VERIFY_FAILURE_LIMIT), API_KEY_VERIFY_WINDOW_SECONDS: '3600' },
    });
    owner = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const routes = () => {
    const tenant = stack.platform.url('tenant');
    const auth = stack.platform.url('auth');
    const analytics = stack.platform.url('analytics');
    return [
      ['tenant: list every tenant', tenant, 'GET', '/internal/tenants', undefined],
      ['tenant: read a tenant', tenant, 'GET', `/internal/tenants/${owner.tenantId}`, undefined],
      ['tenant: change a plan', tenant, 'PATCH', `/internal/tenants/${owner.tenantId}/plan`, { plan: 'enterprise' }],
      ['tenant: create a tenant', tenant, 'POST', '/internal/tenants', { name: 'Evil', slug: 'evil' }],
      ['tenant: suspend a tenant', tenant, 'POST', `/internal/tenants/${owner.tenantId}/suspend`, { reason: 'x' }],
      ['analytics: read events', analytics, 'GET', `/internal/tenants/${owner.tenantId}/events`, undefined],
      ['auth: verify an API key', auth, 'POST', '/internal/api-keys/verify', { key: 'pk_abcdefgh_x' }],
      [
        'auth: read a role',
        auth,
        'POST',
        '/internal/memberships/role',
        { tenantId: owner.tenantId, userId: owner.userId },
      ],
    ] as const;
  };

  it('refuses an anonymous caller on every internal route (401 invalid_service_credential), changing nothing', async () => {
    for (const [what, base, method, path, body] of routes()) {
      const answer = await stack.call(path, { base, method, body });
      expect({ what, status: answer.status, code: answer.body?.error?.code }).toEqual({
        what,
        status: 401,
        code: 'invalid_service_credential',
      });
    }
    const me = await stack.call('/api/v1/tenant', { token: owner.accessToken });
    expect(me.body).toMatchObject({ tenantId: owner.tenantId, status: 'active' });
  });

  it('refuses another spelling of the path, a forged credential and a principal token in its place', async () => {
    const tenant = stack.platform.url('tenant');
    expect((await stack.call('/INTERNAL/tenants', { base: tenant })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ svc: 'gateway' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('parley-gateway')
      .setAudience('parley-internal-service')
      .setSubject('gateway')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new Uint8Array(32).fill(1));
    const spoofs: Record<string, string>[] = [
      { 'x-parley-service': forged },
      { 'x-parley-principal': forged },
      { 'x-tenant-id': owner.tenantId },
    ];
    for (const headers of spoofs) {
      const answer = await stack.call('/internal/tenants', { base: tenant, headers });
      expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
        status: 401,
        code: 'invalid_service_credential',
      });
    }
  });

  it('answers a caller with a service credential (the control case)', async () => {
    const headers = await serviceCredentialHeaders();
    expect((await stack.call('/internal/tenants', { base: stack.platform.url('tenant'), headers })).status).toBe(200);
    const role = await stack.call('/internal/memberships/role', {
      base: stack.platform.url('auth'),
      method: 'POST',
      headers,
      body: { tenantId: owner.tenantId, userId: owner.userId },
    });
    expect(role).toMatchObject({ status: 200, body: { role: 'owner' } });
  });

  it('limits refused well-formed API keys on the verification route: 429 with Retry-After, before any lookup, also through the gateway', async () => {
    const headers = await serviceCredentialHeaders();
    const verify = () =>
      stack.call('/internal/api-keys/verify', {
        base: stack.platform.url('auth'),
        method: 'POST',
        headers,
        body: { key: guessedKey() },
      });
    for (let i = 0; i < VERIFY_FAILURE_LIMIT; i++) {
      const refused = await verify();
      expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({
        status: 401,
        code: 'invalid_api_key',
      });
    }
    const limited = await verify();
    expect({ status: limited.status, code: limited.body?.error?.code }).toEqual({
      status: 429,
      code: 'too_many_attempts',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const viaGateway = await stack.call('/api/v1/conversations', {
      headers: { 'x-api-key': guessedKey() },
    });
    expect({ status: viaGateway.status, code: viaGateway.body?.error?.code }).toEqual({
      status: 429,
      code: 'rate_limited',
    });
  });
});
