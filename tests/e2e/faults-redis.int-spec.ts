import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra, PlatformProcesses, PrivateInfra, uniqueSuffix, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 4: a suspension lives in Postgres (`control.tenants.status`); Redis is only the
 * gateway's copy. The tenant, auth and gateway services run on a PRIVATE Redis of this test, which
 * is killed and restarted empty (no persistence) after a tenant was suspended: the suspended tenant
 * is never let through again (503 while the statuses are rebuilt, then 403 tenant_suspended).
 */
describe('a Redis that restarts empty under the gateway', () => {
  let redis: PrivateInfra;
  let platform: PlatformProcesses;

  beforeAll(async () => {
    redis = await PrivateInfra.start(infra(), ['redis']);
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      infra: redis.urls,
      env: { DEPLOYMENT_MODE: 'cloud' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        gateway: (urls) => ({
          AUTH_JWKS_URL: `${urls.auth}/.well-known/jwks.json`,
          AUTH_SERVICE_URL: urls.auth,
          TENANT_SERVICE_URL: urls.tenant,
        }),
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    redis?.destroy();
  });

  it('keeps refusing a suspended tenant after Redis lost every key', async () => {
    const slug = `susp-${uniqueSuffix()}`;
    const up = await fetch(`${platform.url('gateway')}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Suspended Org',
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(up.status).toBe(201);
    const session = await json(up);
    const me = () =>
      fetch(`${platform.url('gateway')}/api/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect((await me()).status).toBe(200);

    const suspended = await fetch(`${platform.url('tenant')}/internal/tenants/${session.tenant.id}/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'fault test' }),
    });
    expect(suspended.status).toBeLessThan(300);
    await waitFor(async () => (await me()).status === 403, { what: 'the suspension to reach the gateway' });

    await redis.kill('redis');
    redis.restart(); // no persistence: every key is gone

    // Until the tenant service has rebuilt the statuses: 503; after: 403. Never 200.
    const seen: string[] = [];
    await waitFor(
      async () => {
        const res = await me();
        const body = await json(res);
        seen.push(`${res.status} ${body.error?.code ?? 'ok'}`);
        return res.status === 403 && seen.length >= 3 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: '403 tenant_suspended after the restart' },
    );
    for (const answer of seen) expect(['503 service_unavailable', '403 tenant_suspended']).toContain(answer);
  });
});
