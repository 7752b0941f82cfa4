import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, infra, PlatformProcesses, PrivateInfra, ServiceProcess, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 1: a Kafka outage must never end a process. The tenant, auth and gateway services
 * run as processes on a PRIVATE Kafka broker of this test (the shared one is never touched), which is
 * killed with SIGKILL under them: sign-up (auth → tenant.create.v1) and GET /api/v1/tenant (gateway →
 * tenant.get.v1) answer a coded 503/504, every process stays up and logs no unhandled rejection, and
 * request/reply works again once the broker is back. Defect 3: readiness tells the truth: it is a
 * real produce (and, for a service that sends requests, that message consumed back), plus a consumer
 * group that keeps fetching, so it turns red while the broker is dead and green once it is back; a
 * service started while the broker is dead listens at once and says "consumers joining".
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
      },
    });
    api = platform.url('gateway');
    const up = await signUp('before-outage');
    expect(up.status).toBe(201);
    token = (await json(up)).accessToken as string;
  });

  const readiness = async (url: string) => {
    const res = await fetch(`${url}/health/ready`);
    return { status: res.status, body: await json(res) };
  };

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

  it("turns every service's readiness red while the broker is dead: produce fails, the consumer group stops", async () => {
    for (const service of platform.all()) {
      const report = await waitFor(
        async () => {
          const r = await readiness(service.url);
          const consumers = r.body.checks['kafka-consumers'];
          return r.status === 503 && r.body.checks.kafka.status === 'down' && consumers?.status !== 'up'
            ? r
            : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: `${service.name} readiness to report Kafka down` },
      );
      expect(report.body.status).toBe('unavailable');
      expect(report.body.checks.kafka.error).toMatch(
        /cannot produce|not consumed back|no answer within|reply consumer not running/,
      );
      if (service.name === 'tenant') {
        // The tenant service consumes commands: its group is reported too.
        expect(report.body.checks['kafka-consumers'].status).toBe('down');
        expect(report.body.checks['kafka-consumers'].error).toMatch(/not fetching|consumers joining/);
      }
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
    expect(body.checks['kafka-consumers'].error).toMatch(/^consumers joining/);
  });

  it('turns readiness green again once the broker is back, and serves request/reply', async () => {
    await kafka.restart();
    await late?.waitReady(60_000); // the service started during the outage joins by itself
    for (const service of platform.all()) {
      await service.waitReady(60_000);
      const report = await readiness(service.url);
      expect(report.body.checks.kafka.status).toBe('up');
    }
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
