import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PlatformProcesses, uniqueSuffix } from '@parley/testing';
import { call, PLATFORM_TEST_ENV } from '../../testing/http-call';
import { json, startGateway, type RunningGateway } from '../../testing/start-gateway';
import { API_KEY_CACHE_MS } from './api-key-credential-verifier';

interface CreatedKey {
  id: string;
  key: string;
}

describe('API keys at the gateway (the real auth and tenant services)', () => {
  let services: PlatformProcesses;
  let gateways: RunningGateway[] = [];
  let tenantId: string;
  let accessToken: string;

  const me = (gateway: RunningGateway, headers: Record<string, string>) =>
    fetch(`${gateway.url}/api/v1/me`, { headers });

  async function createKey(name: string): Promise<CreatedKey> {
    const res = await call(`${services.url('auth')}/auth/api-keys`, 'POST', {
      body: { name, scopes: ['chat:read'] },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status !== 201) throw new Error(`create key answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as CreatedKey;
  }

  beforeAll(async () => {
    services = await PlatformProcesses.start({ services: ['tenant', 'auth'], env: PLATFORM_TEST_ENV });
    const extra = {
      DEPLOYMENT_MODE: 'cloud',
      AUTH_SERVICE_URL: services.url('auth'),
      AUTH_JWKS_URL: `${services.url('auth')}/.well-known/jwks.json`,
    };
    gateways = [await startGateway(extra, services.topicPrefix), await startGateway(extra, services.topicPrefix)];
    const suffix = uniqueSuffix();
    const signUp = await call(`${services.url('auth')}/auth/sign-up`, 'POST', {
      body: {
        organizationName: `Keys ${suffix}`,
        organizationSlug: `keys-${suffix}`,
        email: `owner-${suffix}@example.com`,
        password: 'correct horse battery staple',
        name: 'Owner',
      },
    });
    if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}: ${JSON.stringify(signUp.body)}`);
    tenantId = signUp.body.tenant.id as string;
    accessToken = signUp.body.accessToken as string;
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await services?.stop();
  });

  it('lets a valid key reach /api/v1/me as an api-key principal of its tenant (Bearer and X-API-Key)', async () => {
    const { id, key } = await createKey('reader');
    const variants: Record<string, string>[] = [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }];
    for (const headers of variants) {
      const res = await me(gateways[0] as RunningGateway, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).not.toBeNull();
      expect(await res.json()).toEqual({
        kind: 'api-key',
        tenantId,
        userId: null,
        role: 'member',
        plan: 'free',
        sessionId: null,
        apiKeyId: id,
        scopes: ['chat:read'],
      });
    }
  });

  it.each([
    ['an unknown key', { authorization: 'Bearer pk_abcdefgh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['an unknown key in X-API-Key', { 'x-api-key': 'pk_zzzzzzzz_unknown' }],
    ['garbage after pk_', { authorization: 'Bearer pk_!!not-a-key' }],
    ['an oversized key', { 'x-api-key': `pk_${'a'.repeat(300)}` }],
    ['a key in both headers', { authorization: 'Bearer pk_a_b', 'x-api-key': 'pk_a_b' }],
  ])('refuses %s with 401 invalid_api_key', async (_, headers) => {
    const res = await me(gateways[0] as RunningGateway, headers);
    expect(res.status).toBe(401);
    expect((await json(res)).error).toMatchObject({ code: 'invalid_api_key', requestId: expect.any(String) });
  });

  it('refuses a revoked key on every replica within 5 s', async () => {
    const { id, key } = await createKey('to revoke');
    const auth = { authorization: `Bearer ${key}` };
    for (const gateway of gateways) expect((await me(gateway, auth)).status).toBe(200); // cached as valid now
    const revoked = await call(`${services.url('auth')}/auth/api-keys/${id}`, 'DELETE', {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(revoked.status).toBe(204);
    const start = Date.now();
    const refusedAfter = await Promise.all(
      gateways.map(async (gateway) => {
        for (;;) {
          const res = await me(gateway, auth);
          if (res.status === 401) {
            expect((await json(res)).error.code).toBe('invalid_api_key');
            return Date.now() - start;
          }
          expect(res.status).toBe(200);
          if (Date.now() - start > API_KEY_CACHE_MS + 1000) return Infinity;
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
    for (const elapsed of refusedAfter) expect(elapsed).toBeLessThanOrEqual(API_KEY_CACHE_MS + 1000);
  });

  it('answers 503 service_unavailable, not 401, when the auth service cannot be reached', async () => {
    const orphan = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_SERVICE_URL: `http://127.0.0.1:${await freePort()}`,
      AUTH_JWKS_URL: `${services.url('auth')}/.well-known/jwks.json`,
    });
    try {
      const res = await me(orphan, { 'x-api-key': 'pk_abcdefgh_whatever' });
      expect(res.status).toBe(503);
      expect((await json(res)).error.code).toBe('service_unavailable');
    } finally {
      await orphan.close();
    }
  });
});
