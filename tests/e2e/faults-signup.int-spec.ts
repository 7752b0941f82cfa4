import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, uniqueSuffix, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 2: a sign-up that timed out must not leave a tenant behind. The tenant service
 * (a process) is frozen with SIGSTOP, as a stalled node or a consumer far behind a backlog would be;
 * the sign-up answers 504; when the tenant service thaws it meets the command past its deadline and
 * drops it (counted), so no orphan tenant exists and the same sign-up, retried, succeeds.
 */
describe('a sign-up whose tenant command outlives its requester', () => {
  let platform: PlatformProcesses;
  let pg: Client;

  const signUp = (slug: string, email: string) =>
    fetch(`${platform.url('auth')}/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email,
        password: 'correct horse battery',
        name: slug,
      }),
    });

  const expiredCreates = async (): Promise<number> => {
    const text = await (await fetch(`${platform.url('tenant')}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('bus_messages_handled_total{') &&
          l.includes('topic="tenant.create.v2"') &&
          l.includes('outcome="expired"'),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '1500' },
    });
    pg = new Client({ connectionString: platform.db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await platform?.stop();
  });

  it('answers 504, drops the late command, leaves no tenant, and the retried sign-up succeeds', async () => {
    const slug = `late-${uniqueSuffix()}`;
    const email = `owner@${slug}.test`;
    const tenant = platform.get('tenant');
    tenant.signal('SIGSTOP');
    try {
      const res = await signUp(slug, email);
      expect(res.status).toBe(504);
      expect((await json(res)).error.code).toBe('bus_request_timeout');
    } finally {
      tenant.signal('SIGCONT');
    }

    await waitFor(async () => (await expiredCreates()) >= 1, {
      timeoutMs: 30_000,
      what: 'the tenant service to drop the expired tenant.create.v2',
    });
    const orphans = await pg.query('SELECT id FROM control.tenants WHERE slug = $1', [slug]);
    expect(orphans.rows).toEqual([]);

    const retried = await signUp(slug, email);
    expect(retried.status).toBe(201);
    expect((await json(retried)).tenant.slug).toBe(slug);
  });
});
