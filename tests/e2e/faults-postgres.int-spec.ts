import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra, PlatformProcesses, PrivatePostgres, serviceFetch, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 7: a Postgres outage is a retryable 503 `service_unavailable` with Retry-After,
 * never a 500 `internal_error`, on every service (one mapping in the shared ProblemFilter). The
 * tenant and auth services run as processes on a PRIVATE Postgres of this test, stopped in
 * immediate mode (a crash: connections are cut) under them and started again.
 */
describe('a Postgres outage under the tenant and auth services', () => {
  let pg: PrivatePostgres;
  let platform: PlatformProcesses;

  const plans = () => serviceFetch(`${platform.url('tenant')}/internal/plans`);
  const signIn = () =>
    fetch(`${platform.url('auth')}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong password 123' }),
    });

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const shared = infra();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth'],
      infra: { ...shared, DATABASE_URL: pg.url },
      env: { DEPLOYMENT_MODE: 'cloud' },
    });
  });

  afterAll(async () => {
    await platform?.stop().catch(() => undefined);
    await pg?.destroy();
  });

  it('answers 503 service_unavailable with Retry-After while Postgres is down, and recovers', async () => {
    expect((await plans()).status).toBe(200);
    await pg.stop();

    for (const res of [await plans(), await plans(), await signIn()]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await json(res);
      expect(body.error.code).toBe('service_unavailable');
      expect(body.error.details).toEqual({ dependency: 'postgres' });
    }
    for (const service of platform.all()) expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    await pg.start();
    await waitFor(async () => (await plans()).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'plans readable again',
    });
  });
});
