import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack } from '../../testing/auth-stack';

const PASSWORD = 'correct horse battery staple';

describe('auth accounts: sign-up, sign-in, the full session flow', () => {
  let stack: AuthStack;
  const count = async (table: string): Promise<number> =>
    Number((await stack.pg.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    stack = await AuthStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs up: the tenant service creates the tenant, the user is its owner, tokens come back', async () => {
    const slug = `acme-${uniqueSuffix()}`;
    const res = await stack.post('/auth/sign-up', {
      organizationName: 'Acme',
      organizationSlug: slug,
      email: `Founder-${slug}@Example.com`,
      password: PASSWORD,
      name: 'Ada Founder',
    });
    expect(res.status).toBe(201);
    const body = res.body;
    expect(body).toMatchObject({
      user: { id: expect.any(String), email: `founder-${slug}@example.com`, name: 'Ada Founder' },
      tenant: { id: expect.any(String), slug, name: 'Acme', plan: 'free' },
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(body.refreshToken).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);

    const tenant = await stack.pg.query(`SELECT slug, plan_id, schema_name FROM control.tenants WHERE id = $1`, [
      body.tenant.id,
    ]);
    expect(tenant.rows).toEqual([{ slug, plan_id: 'free', schema_name: `tenant_${body.tenant.id.replace(/-/g, '')}` }]);
    const membership = await stack.pg.query(`SELECT role FROM auth.memberships WHERE user_id = $1 AND tenant_id = $2`, [
      body.user.id,
      body.tenant.id,
    ]);
    expect(membership.rows).toEqual([{ role: 'owner' }]);
    const stored = await stack.pg.query(`SELECT password_hash FROM auth.users WHERE id = $1`, [body.user.id]);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);

    const header = decodeProtectedHeader(body.accessToken);
    const claims = decodeJwt(body.accessToken);
    const jwks = await stack.get('/.well-known/jwks.json');
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: jwks.body.keys[0].kid });
    expect(claims).toMatchObject({
      iss: 'parley',
      aud: 'parley-api',
      sub: body.user.id,
      tid: body.tenant.id,
      role: 'owner',
      plan: 'free',
      sid: expect.any(String),
      jti: expect.any(String),
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(claims.nbf).toBe(claims.iat);
  });

  it('runs the full flow: sign-up, sign-in, refresh, sign-out', async () => {
    const email = `flow-${uniqueSuffix()}@example.com`;
    const signedUp = await stack.signUp({ email });

    const signIn = await stack.post('/auth/sign-in', { email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body.tenant).toEqual(signedUp.tenant);
    expect(signIn.body.user).toEqual(signedUp.user);
    const sid = decodeJwt(signIn.body.accessToken).sid;
    expect(sid).not.toBe(decodeJwt(signedUp.accessToken).sid); // a new session

    const me = await stack.get('/auth/me', signIn.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: signedUp.user, tenant: { id: signedUp.tenant.id, role: 'owner' }, sessionId: sid });

    const refreshed = await stack.post('/auth/refresh', { refreshToken: signIn.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(signIn.body.refreshToken);
    expect(decodeJwt(refreshed.body.accessToken)).toMatchObject({
      sid,
      sub: signedUp.user.id,
      tid: signedUp.tenant.id,
    });

    const out = await stack.post('/auth/sign-out', undefined, refreshed.body.accessToken);
    expect(out.status).toBe(204);
    const afterOut = await stack.post('/auth/refresh', { refreshToken: refreshed.body.refreshToken });
    expect(afterOut.status).toBe(401);
    expect(afterOut.body.error.code).toBe('session_revoked');
    expect((await stack.get('/auth/me', refreshed.body.accessToken)).body.error.code).toBe('session_revoked');
    // The sign-up session is another session: it still works.
    expect((await stack.get('/auth/me', signedUp.accessToken)).status).toBe(200);
  });

  it('normalises emails (NFKC, lower-case): another spelling of a taken email is 409 and creates nothing', async () => {
    const domain = `${uniqueSuffix()}.example.com`;
    const first = await stack.signUp({ email: `ÅSA@${domain.toUpperCase()}` });
    expect(first.user.email).toBe(`åsa@${domain}`);
    const tenantsBefore = await count('control.tenants');
    for (const spelling of [`åsa@${domain}`, `A\u030ASA@${domain}`, `\u212Bsa@${domain}`]) {
      const again = await stack.post('/auth/sign-up', {
        organizationName: 'Copy',
        organizationSlug: `copy-${uniqueSuffix()}`,
        email: spelling,
        password: PASSWORD,
        name: 'Copy',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('email_taken');
    }
    expect(await count('control.tenants')).toBe(tenantsBefore);
    const signIn = await stack.post('/auth/sign-in', { email: `A\u030Asa@${domain}`, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.id).toBe(first.user.id);
  });

  it('answers a taken organisation slug with 409 tenant_slug_taken and creates no user', async () => {
    const taken = await stack.signUp();
    const users = await count('auth.users');
    const res = await stack.post('/auth/sign-up', {
      organizationName: 'Again',
      organizationSlug: taken.tenant.slug,
      email: `other-${uniqueSuffix()}@example.com`,
      password: PASSWORD,
      name: 'Other',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('tenant_slug_taken');
    expect(await count('auth.users')).toBe(users);
  });

  it('refuses wrong credentials with one answer, and spends argon2 time on unknown emails too', async () => {
    const known = await stack.signUp();
    const attempts = {
      unknown: { email: `nobody-${uniqueSuffix()}@example.com`, password: PASSWORD },
      wrongPassword: { email: known.user.email, password: `${PASSWORD}!` },
    };
    const elapsed: Record<string, number[]> = { unknown: [], wrongPassword: [] };
    for (let round = 0; round < 3; round++) {
      for (const [kind, body] of Object.entries(attempts)) {
        const started = performance.now();
        const res = await stack.post('/auth/sign-in', body);
        elapsed[kind]?.push(performance.now() - started);
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({
          code: 'invalid_credentials',
          message: 'Email or password is incorrect',
        });
      }
    }
    const median = (values: number[] = []) => [...values].sort((a, b) => a - b)[1] ?? 0;
    expect(median(elapsed.unknown)).toBeGreaterThan(median(elapsed.wrongPassword) * 0.3);
  });

  it('signs in to the oldest membership by default, to a named one, and never to a tenant it is not in', async () => {
    const user = await stack.signUp();
    const other = await stack.signUp();
    const stranger = await stack.signUp();
    await stack.pg.query(`INSERT INTO auth.memberships (user_id, tenant_id, role) VALUES ($1, $2, 'member')`, [
      user.user.id,
      other.tenant.id,
    ]);

    const byDefault = await stack.post('/auth/sign-in', { email: user.user.email, password: PASSWORD });
    expect(byDefault.body.tenant.id).toBe(user.tenant.id);
    expect(decodeJwt(byDefault.body.accessToken)).toMatchObject({ tid: user.tenant.id, role: 'owner' });

    const named = await stack.post('/auth/sign-in', {
      email: user.user.email,
      password: PASSWORD,
      tenantSlug: other.tenant.slug,
    });
    expect(named.status).toBe(200);
    expect(named.body.tenant).toEqual(other.tenant);
    expect(decodeJwt(named.body.accessToken)).toMatchObject({ tid: other.tenant.id, role: 'member' });
    expect((await stack.get('/auth/me', named.body.accessToken)).body.tenant).toEqual({
      id: other.tenant.id,
      role: 'member',
    });

    for (const tenantSlug of [stranger.tenant.slug, `missing-${uniqueSuffix()}`]) {
      const refused = await stack.post('/auth/sign-in', { email: user.user.email, password: PASSWORD, tenantSlug });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_credentials');
    }
  });

  const valid = () => ({
    organizationName: 'Valid',
    organizationSlug: `valid-${uniqueSuffix()}`,
    email: `valid-${uniqueSuffix()}@example.com`,
    password: PASSWORD,
    name: 'Valid',
  });

  it.each([
    ['an unknown field', () => JSON.stringify({ ...valid(), role: 'owner' }), 400, 'validation_failed'],
    ['malformed JSON', () => '{"email": "x@example.com", ', 400, 'malformed_json'],
    [
      'a password of 9 characters',
      () => JSON.stringify({ ...valid(), password: '123456789' }),
      400,
      'validation_failed',
    ],
    [
      'a password of 257 characters',
      () => JSON.stringify({ ...valid(), password: 'p'.repeat(257) }),
      400,
      'validation_failed',
    ],
    ['a NUL byte', () => JSON.stringify({ ...valid(), name: 'nul\u0000name' }), 400, 'validation_failed'],
    ['a bad email', () => JSON.stringify({ ...valid(), email: 'not-an-email' }), 400, 'validation_failed'],
    ['a wrong type', () => JSON.stringify({ ...valid(), email: 42 }), 400, 'validation_failed'],
    ['a bad slug', () => JSON.stringify({ ...valid(), organizationSlug: 'Bad Slug!' }), 400, 'validation_failed'],
    ['a JSON array', () => JSON.stringify([valid()]), 400, 'validation_failed'],
    ['an oversized body', () => JSON.stringify({ ...valid(), name: 'x'.repeat(5000) }), 413, 'payload_too_large'],
  ])('answers a sign-up with %s with a 4xx and a code, and creates nothing', async (_, body, status, code) => {
    const users = await count('auth.users');
    const tenants = await count('control.tenants');
    const res = await stack.post('/auth/sign-up', body());
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, requestId: expect.any(String) });
    expect(await count('auth.users')).toBe(users);
    expect(await count('control.tenants')).toBe(tenants);
  });

  it.each([
    [
      '/auth/sign-in',
      JSON.stringify({ email: 'a@example.com', password: PASSWORD, tenantId: 'x' }),
      'validation_failed',
    ],
    ['/auth/sign-in', JSON.stringify({ email: 'a@example.com' }), 'validation_failed'],
    ['/auth/sign-in', '{"email":', 'malformed_json'],
    ['/auth/sign-in', JSON.stringify({ email: 'a\u0000@example.com', password: PASSWORD }), 'validation_failed'],
    ['/auth/refresh', JSON.stringify({ refreshToken: 'prt_x', extra: 1 }), 'validation_failed'],
    ['/auth/refresh', JSON.stringify({ refreshToken: ['prt_x'] }), 'validation_failed'],
    ['/auth/refresh', 'null', 'malformed_json'],
    ['/auth/refresh', '', 'validation_failed'],
  ])('answers POST %s %s with 400 %s', async (path, body, code) => {
    const res = await stack.post(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });
});
