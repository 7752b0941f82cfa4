import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  freePort,
  ServiceProcess,
  testEnv,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import { SmtpSinkProcess } from './support/smtp-sink-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Self-hosted mode through the gateway, with the real services and a real SMTP sink: the first
 * sign-up owns the one default tenant, sign-up then closes, and a colleague joins by invitation
 * (the mail is read from the sink).
 */
describe('self-hosted: first owner, then invitations', () => {
  const prefix = `sh${uniqueSuffix()}.`;
  let db: TestDatabase;
  let mail: SmtpSinkProcess;
  const processes: ServiceProcess[] = [];
  let api: string;

  const call = (path: string, body?: unknown, token?: string) =>
    fetch(`${api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signUp = (email: string) =>
    call('/api/v1/auth/sign-up', {
      organizationName: 'ignored',
      organizationSlug: 'ignored',
      email,
      password: 'correct horse battery',
      name: email,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    mail = await SmtpSinkProcess.start(await freePort());
    const env = testEnv({ databaseUrl: db.url, topicPrefix: prefix, extra: { DEPLOYMENT_MODE: 'self-hosted' } });
    const tenant = new ServiceProcess('tenant', await freePort(), env).start();
    processes.push(tenant);
    await tenant.waitReady();
    const auth = new ServiceProcess('auth', await freePort(), {
      ...env,
      SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      TRUST_PROXY_HOPS: '1',
    }).start();
    processes.push(auth);
    await auth.waitReady();
    const gatewayEnv: Record<string, string> = {
      ...env,
      AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
      AUTH_SERVICE_URL: auth.url,
      TENANT_SERVICE_URL: tenant.url,
    };
    delete gatewayEnv.DATABASE_URL;
    const gateway = new ServiceProcess('gateway', await freePort(), gatewayEnv).start();
    processes.push(gateway);
    await gateway.waitReady();
    api = gateway.url;
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await mail?.stop();
    await db?.drop();
  });

  it('makes the first sign-up the owner of the default tenant and closes sign-up after it', async () => {
    const first = await signUp('admin@home.test');
    expect(first.status).toBe(201);
    const owner = await json(first);
    expect(owner.tenant).toMatchObject({ slug: 'default' });
    expect(await json(call('/api/v1/me', undefined, owner.accessToken))).toMatchObject({
      role: 'owner',
      tenantId: owner.tenant.id,
    });
    const second = await signUp('intruder@home.test');
    expect(second.status).toBe(403);
    expect((await json(second)).error.code).toBe('signup_closed');
  });

  it('lets an owner invite a colleague who joins through the emailed link', async () => {
    const owner = await json(
      call('/api/v1/auth/sign-in', { email: 'admin@home.test', password: 'correct horse battery' }),
    );
    const invite = await call(
      '/api/v1/auth/invites',
      { email: 'colleague@home.test', role: 'member' },
      owner.accessToken,
    );
    expect(invite.status).toBe(201);
    const message = await waitFor(() => mail.messages().find((m) => m.to.includes('colleague@home.test')), {
      what: 'invite mail',
    });
    const token = /invite\?token=([A-Za-z0-9_\-.~%]+)/.exec(message.text)?.[1];
    expect(token).toBeTruthy();
    const joined = await call('/api/v1/auth/invites/accept', {
      token: decodeURIComponent(token ?? ''),
      name: 'Colleague',
      password: 'another good passphrase',
    });
    expect(joined.status).toBe(200);
    const colleague = await json(joined);
    expect(await json(call('/api/v1/me', undefined, colleague.accessToken))).toMatchObject({
      role: 'member',
      tenantId: owner.tenant.id,
    });
    const again = await call('/api/v1/auth/invites/accept', {
      token: decodeURIComponent(token ?? ''),
      name: 'Again',
      password: 'another good passphrase',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });
});
