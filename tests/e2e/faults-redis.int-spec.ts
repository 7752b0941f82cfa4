import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  infra,
  LlmSimulator,
  PlatformProcesses,
  PrivateInfra,
  serviceFetch,
  uniqueSuffix,
  waitFor,
} from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 4: a suspension lives in Postgres (`control.tenants.status`); Redis is only the
 * gateway's copy. The tenant, auth and gateway services run on a PRIVATE Redis of this test, which
 * is killed and restarted empty (no persistence) after a tenant was suspended: the suspended tenant
 * is never let through again (503 while the statuses are rebuilt, then 403 tenant_suspended).
 * Defect 8: with Redis down, a chat request is refused with 503 `service_unavailable` (the request
 * path uses a fail-fast connection; the latency is measured by bench/faults, not asserted here).
 */
describe('a Redis that restarts empty under the gateway', () => {
  let redis: PrivateInfra;
  let platform: PlatformProcesses;
  let sim: LlmSimulator;

  const signUp = async (slug: string) => {
    const res = await fetch(`${platform.url('gateway')}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(res.status).toBe(201);
    return json(res);
  };

  beforeAll(async () => {
    redis = await PrivateInfra.start(infra(), ['redis']);
    sim = await LlmSimulator.start();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
      infra: redis.urls,
      env: { DEPLOYMENT_MODE: 'cloud' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'anthropic',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
        },
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await sim?.close();
    redis?.destroy();
  });

  it('keeps refusing a suspended tenant after Redis lost every key', async () => {
    const session = await signUp(`susp-${uniqueSuffix()}`);
    const me = () =>
      fetch(`${platform.url('gateway')}/api/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect((await me()).status).toBe(200);

    const suspended = await serviceFetch(`${platform.url('tenant')}/internal/tenants/${session.tenant.id}/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'fault test' }),
    });
    expect(suspended.status).toBeLessThan(300);
    await waitFor(async () => (await me()).status === 403, { what: 'the suspension to reach the gateway' });

    await redis.kill('redis');
    await redis.restart(); // no persistence: every key is gone

    // Until the tenant service has rebuilt the statuses: 503; after: 403. Never 200 — also once
    // the gateway's own 2 s cache of the status has lapsed, so Redis is what answers.
    const rebuilds = () => platform.get('tenant').output.split('Tenant statuses rebuilt in Redis').length - 1;
    const seen: string[] = [];
    const ask = async () => {
      const res = await me();
      seen.push(`${res.status} ${(await json(res)).error?.code ?? 'ok'}`);
    };
    await waitFor(
      async () => {
        await ask();
        return rebuilds() >= 2;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the tenant service to rebuild the statuses' },
    );
    await new Promise((r) => setTimeout(r, 2500));
    await ask();
    expect(seen.at(-1)).toBe('403 tenant_suspended');
    for (const answer of seen) expect(['503 service_unavailable', '403 tenant_suspended']).toContain(answer);
  });

  it('refuses chat with 503 service_unavailable while Redis is down', async () => {
    const session = await signUp(`chat-${uniqueSuffix()}`);
    const headers = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${platform.url('gateway')}/api/v1/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Redis down' }),
    });
    expect(created.status, JSON.stringify(await created.clone().json())).toBe(201);
    const conversationId = (await json(created)).id as string;
    const send = () =>
      fetch(`${platform.url('gateway')}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content: 'hello' }),
      });
    expect((await send()).status).toBe(201);

    await redis.kill('redis');
    for (let i = 0; i < 3; i++) {
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await json(res)).error.code).toBe('service_unavailable');
    }
    for (const service of platform.all()) expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  });
});
