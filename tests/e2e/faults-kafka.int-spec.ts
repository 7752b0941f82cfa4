import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, infra, PlatformProcesses, PrivateInfra, ServiceProcess, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 1: a Kafka outage must never end a process. The tenant, auth and gateway services
 * run as processes on a PRIVATE Kafka broker of this test (the shared one is never touched), which is
 * killed with SIGKILL under them: sign-up (auth → tenant.create.v1) and GET /api/v1/tenant (gateway →
 * tenant.get.v1) answer a coded 503/504, every process stays up and logs no unhandled rejection, and
 * request/reply works again once the broker is back. Defect 3: a service started while the broker is
 * dead listens anyway and its readiness says why it is not ready, until the broker is back.
 */
describe('a Kafka outage under the identity services', () => {
  let kafka: PrivateInfra;
  let platform: PlatformProcesses;
  let api: string;
  let token: string;
  let late: ServiceProcess | undefined;

  const signUp = (slug: string) =>
    fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      }),
    });

  beforeAll(async () => {
    kafka = await PrivateInfra.start(infra(), ['kafka']);
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      infra: kafka.urls,
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '1500' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        gateway: (urls) => ({
          AUTH_JWKS_URL: `${urls.auth}/.well-known/jwks.json`,
          AUTH_SERVICE_URL: urls.auth,
          TENANT_SERVICE_URL: urls.tenant,
        }),
      },
    });
    api = platform.url('gateway');
    const up = await signUp('before-outage');
    expect(up.status).toBe(201);
    token = (await json(up)).accessToken as string;
  });

  afterAll(async () => {
    await late?.stop();
    await platform?.stop();
    kafka?.destroy();
  });

  it('answers 503/504 with a code while the broker is dead, and no process exits or slips a rejection', async () => {
    await kafka.kill('kafka');

    const signUps = await Promise.all(['during-1', 'during-2', 'during-3'].map((slug) => signUp(slug)));
    for (const res of signUps) {
      expect([503, 504]).toContain(res.status);
      expect(['service_unavailable', 'bus_request_timeout']).toContain((await json(res)).error.code);
    }
    const tenant = await fetch(`${api}/api/v1/tenant`, { headers: { authorization: `Bearer ${token}` } });
    expect([503, 504]).toContain(tenant.status);
    expect(['service_unavailable', 'bus_request_timeout']).toContain((await json(tenant)).error.code);

    // Past every reply timer armed above (1.5 s) and the producer's retries: nothing may fire late.
    await new Promise((r) => setTimeout(r, 8000));
    for (const service of platform.all()) {
      const live = await fetch(`${service.url}/health/live`);
      expect(live.status, `${service.name} is alive`).toBe(200);
      expect(service.output, `${service.name} logged no unhandled rejection`).not.toMatch(
        /Unhandled promise rejection|unhandledRejection|Uncaught exception/,
      );
    }
  });

  it('starts a service while the broker is dead: it listens, and readiness says what it waits for', async () => {
    late = new ServiceProcess('tenant', await freePort(), platform.env).start();
    const service = late;
    await waitFor(async () => (await fetch(`${service.url}/health/live`).catch(() => undefined))?.status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'the tenant service started during the outage to listen',
    });
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(503);
    const body = await json(ready);
    expect(body.checks.kafka.status).toBe('down');
    expect(body.checks['kafka-consumers'].status).toBe('down');
    expect(body.checks['kafka-consumers'].error).toMatch(/^(consumers joining|waiting for dependencies)/);
  });

  it('serves request/reply again once the broker is back', async () => {
    await kafka.restart();
    await late?.waitReady(60_000); // the service started during the outage joins by itself
    let attempt = 0;
    const up = await waitFor(
      async () => {
        const res = await signUp(`after-outage-${++attempt}`);
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'a sign-up after the broker restarted' },
    );
    expect((await json(up)).tenant.slug).toBe(`after-outage-${attempt}`);
  });
});
