import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startIdentityStack, type IdentityStack } from './support/stack';

/**
 * Identity end to end, as a client sees it: the real gateway, auth and tenant services as processes
 * on the real Postgres, Redis and Kafka. Sign up, use the token, refresh, sign out — through the
 * gateway only — and nobody reaches another tenant.
 */
describe('identity through the gateway', () => {
  let stack: IdentityStack;
  let api: string;

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  const signUp = (slug: string, email: string) =>
    call('/api/v1/auth/sign-up', {
      method: 'POST',
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email,
        password: 'correct horse battery',
        name: slug,
      }),
    });

  beforeAll(async () => {
    stack = await startIdentityStack({ mode: 'cloud' });
    api = stack.api;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs up, calls the API with the token, refreshes and signs out, all through the gateway', async () => {
    const up = await signUp('acme', 'owner@acme.test');
    expect(up.status).toBe(201);
    const session = await json(up);
    expect(session).toMatchObject({
      tokenType: 'Bearer',
      tenant: { slug: 'acme' },
      user: { email: 'owner@acme.test' },
    });

    const me = await json(call('/api/v1/me', { token: session.accessToken }));
    expect(me).toMatchObject({ tenantId: session.tenant.id, userId: session.user.id, role: 'owner' });
    const current = await json(call('/api/v1/tenant', { token: session.accessToken }));
    expect(current).toMatchObject({ tenantId: session.tenant.id, slug: 'acme' });

    const signIn = await call('/api/v1/auth/sign-in', {
      method: 'POST',
      body: JSON.stringify({ email: 'OWNER@acme.test', password: 'correct horse battery' }),
    });
    expect(signIn.status).toBe(200);
    const refreshed = await call('/api/v1/auth/refresh', {
      method: 'POST',
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const next = await json(refreshed);
    expect(next.refreshToken).not.toBe(session.refreshToken);
    const reused = await call('/api/v1/auth/refresh', {
      method: 'POST',
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(reused.status).toBe(401);
    expect((await json(reused)).error.code).toBe('refresh_token_reused');

    const out = await call('/api/v1/auth/sign-out', { method: 'POST', token: (await json(signIn)).accessToken });
    expect(out.status).toBe(204);
  });

  it('keeps tenants apart: a token only ever reaches its own tenant, and a tenant header is refused', async () => {
    const a = await json(signUp('initech', 'a@initech.test'));
    const b = await json(signUp('globex', 'b@globex.test'));
    expect((await json(call('/api/v1/tenant', { token: a.accessToken }))).slug).toBe('initech');
    expect((await json(call('/api/v1/tenant', { token: b.accessToken }))).slug).toBe('globex');
    const spoofed = await call('/api/v1/tenant', { token: a.accessToken, headers: { 'X-Tenant-ID': b.tenant.id } });
    expect(spoofed.status).toBe(400);
    expect((await json(spoofed)).error.code).toBe('tenant_header_not_allowed');
  });

  it('refuses requests without a valid token, and a forged one', async () => {
    const none = await call('/api/v1/tenant');
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('authentication_required');
    const [header, , signature] = (await json(signUp('hooli', 'x@hooli.test'))).accessToken.split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ sub: 'x', tid: '6f9619ff-8b86-4d11-b42d-00c04fc964ff', role: 'owner' }),
    ).toString('base64url');
    const forged = await call('/api/v1/me', { token: `${header}.${forgedClaims}.${signature}` });
    expect(forged.status).toBe(401);
    expect((await json(forged)).error.code).toBe('invalid_access_token');
  });

  it('aggregates readiness of the services it can reach', async () => {
    const health = await call('/api/v1/health');
    const body = await json(health);
    // billing, chat, stt and analytics are not running in this test: the aggregate says so.
    expect(health.status).toBe(503);
    const statuses = Object.fromEntries(
      (Array.isArray(body.services)
        ? body.services
        : Object.entries(body.services ?? {}).map(([name, s]) => ({ name, ...(s as object) }))
      ).map((s: { name: string; status: string }) => [s.name, s.status]),
    );
    expect(statuses).toMatchObject({ gateway: 'up', auth: 'up', tenant: 'up', billing: 'down' });
  });
});
