import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, uniqueSuffix, waitFor } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * Issue 11, defect 2: the sign-up saga either completes or is compensated. The tenant service (a
 * process) is held inside its creation transaction by a test transaction holding
 * `LOCK TABLE control.tenants IN EXCLUSIVE MODE` (reads pass, the insert waits), as a slow
 * database or a lock queue would hold it: the command was taken before its deadline, and the
 * tenant is created only when the test lets go. Outcomes are asserted against Postgres.
 */
describe('the sign-up saga', () => {
  let platform: PlatformProcesses;
  let pg: Client;
  let holder: Client;

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

  /** Holds the tenant service's creation at its insert until `release()`. */
  const holdCreations = async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE control.tenants IN EXCLUSIVE MODE');
    return { release: () => holder.query('COMMIT') };
  };

  /** True once a creation transaction waits on the held lock: the command was taken in time. */
  const creationWaiting = async () => {
    const { rows } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'control.tenants'::regclass AND NOT granted`,
    );
    return (rows[0]?.n ?? 0) > 0;
  };

  /** The compensation auth wrote to its outbox for a slug. */
  const abandonment = (slug: string) =>
    waitFor(
      async () => {
        const { rows } = await pg.query<{ signup_id: string; reason: string }>(
          `SELECT value->>'signupId' AS signup_id, value->>'reason' AS reason FROM control.outbox
            WHERE producer = 'auth' AND topic LIKE '%tenant.signup-abandoned.v1' AND value->>'slug' = $1`,
          [slug],
        );
        return rows.length === 1 ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, what: `auth's tenant.signup-abandoned.v1 for ${slug}` },
    );

  /** Waits until the tenant service has compensated the sign-up; returns the tenant it had created. */
  const compensated = (signupId: string) =>
    waitFor(
      async () => {
        const { rows } = await pg.query<{ tenant_id: string | null; status: string }>(
          `SELECT tenant_id, status FROM control.tenant_signups WHERE signup_id = $1`,
          [signupId],
        );
        return rows[0]?.status === 'abandoned' ? rows[0] : undefined;
      },
      { timeoutMs: 30_000, what: `the tenant service to compensate sign-up ${signupId}` },
    );

  const tenantsWithSlug = async (slug: string) =>
    (await pg.query('SELECT id FROM control.tenants WHERE slug = $1', [slug])).rows;

  const schemaExists = async (tenantId: string) =>
    (
      await pg.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
        `tenant_${tenantId.replaceAll('-', '')}`,
      ])
    ).rows.length > 0;

  beforeAll(async () => {
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '8000' },
    });
    pg = new Client({ connectionString: platform.db.url });
    holder = new Client({ connectionString: platform.db.url });
    await Promise.all([pg.connect(), holder.connect()]);
  });

  afterAll(async () => {
    await holder?.end();
    await pg?.end();
    await platform?.stop();
  });

  it('a reply too late: 504, the tenant created meanwhile is removed, and the retried sign-up succeeds', async () => {
    const slug = `late-reply-${uniqueSuffix()}`;
    const email = `owner@${slug}.test`;
    const held = await holdCreations();
    let res: Response;
    try {
      const pending = signUp(slug, email);
      await waitFor(creationWaiting, { what: 'the tenant service to be creating the tenant' });
      res = await pending;
    } finally {
      await held.release();
    }
    expect(res.status).toBe(504);
    expect((await json(res)).error.code).toBe('bus_request_timeout');

    const { signup_id: signupId, reason } = await abandonment(slug);
    expect(reason).toBe('reply_timeout');
    const saga = await compensated(signupId);
    // The tenant was created (after auth gave up), then removed: the slug is free, the schema gone.
    expect(saga.tenant_id).toEqual(expect.any(String));
    expect(await tenantsWithSlug(slug)).toEqual([]);
    expect(await schemaExists(saga.tenant_id as string)).toBe(false);
    const users = await pg.query('SELECT id FROM auth.users WHERE email = $1', [email]);
    expect(users.rows).toEqual([]);

    const retried = await signUp(slug, email);
    expect(retried.status).toBe(201);
    expect((await json(retried)).tenant.slug).toBe(slug);
    const owners = await pg.query(
      `SELECT m.role FROM auth.memberships m JOIN auth.users u ON u.id = m.user_id
         JOIN control.tenants t ON t.id = m.tenant_id WHERE u.email = $1 AND t.slug = $2`,
      [email, slug],
    );
    expect(owners.rows).toEqual([{ role: 'owner' }]);
  });

  it('the owner insert fails after the tenant was created: 409 email_taken, and the tenant is removed', async () => {
    const slug = `owner-fails-${uniqueSuffix()}`;
    const email = `owner@${slug}.test`;
    const held = await holdCreations();
    let res: Response;
    try {
      const pending = signUp(slug, email);
      // Auth passed its email pre-check and sent the command; a concurrent sign-up now takes the email.
      await waitFor(creationWaiting, { what: 'the tenant service to be creating the tenant' });
      await pg.query(
        `INSERT INTO auth.users (id, email, name, password_hash) VALUES (gen_random_uuid(), $1, 'Racer', 'x')`,
        [email],
      );
      await held.release();
      res = await pending;
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
    }
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('email_taken');

    const { signup_id: signupId, reason } = await abandonment(slug);
    expect(reason).toBe('owner_failed');
    const saga = await compensated(signupId);
    expect(saga.tenant_id).toEqual(expect.any(String));
    expect(await tenantsWithSlug(slug)).toEqual([]);
    expect(await schemaExists(saga.tenant_id as string)).toBe(false);
    const memberships = await pg.query('SELECT 1 FROM auth.memberships WHERE tenant_id = $1', [saga.tenant_id]);
    expect(memberships.rows).toEqual([]);
  });

  it('auth dies mid-sign-up: once restarted, its sweep abandons the saga and the tenant is removed', async () => {
    const slug = `auth-dies-${uniqueSuffix()}`;
    const email = `owner@${slug}.test`;
    const auth = platform.get('auth');
    const held = await holdCreations();
    try {
      const pending = signUp(slug, email).catch((error: unknown) => error); // its connection dies with auth
      await waitFor(creationWaiting, { what: 'the tenant service to be creating the tenant' });
      auth.signal('SIGKILL');
      await auth.waitExit();
      expect(await pending).toBeInstanceOf(Error);
    } finally {
      await held.release();
    }
    const sagas = await pg.query<{ signup_id: string }>('SELECT signup_id FROM auth.signup_sagas WHERE slug = $1', [
      slug,
    ]);
    expect(sagas.rows).toHaveLength(1);
    const signupId = sagas.rows[0]?.signup_id as string;

    auth.start();
    await auth.waitReady(90_000);
    const abandoned = await abandonment(slug);
    expect(abandoned).toEqual({ signup_id: signupId, reason: 'saga_expired' });
    const saga = await compensated(signupId);
    expect(saga.tenant_id).toEqual(expect.any(String));
    expect(await tenantsWithSlug(slug)).toEqual([]);
    expect((await pg.query('SELECT 1 FROM auth.signup_sagas WHERE slug = $1', [slug])).rows).toEqual([]);

    const retried = await signUp(slug, email);
    expect(retried.status).toBe(201);
  });
});
