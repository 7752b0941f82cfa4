import { decodeJwt, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStack, type Session } from '../../../testing/auth-stack';
import { TestOidcProvider } from '../../../testing/test-oidc-provider';

/**
 * The OIDC login at the auth service against a provider on loopback (reached through the egress
 * policy, which this operator opens to 127.0.0.1 over http): the whole flow with the PKCE verifier
 * and client secret checked by the provider, and each refusal of the callback through a whole login.
 */
describe('OIDC login per tenant: code flow with PKCE, every callback check', () => {
  let stack: AuthStack;
  let op: TestOidcProvider;
  let owner: Session;
  let other: Session;
  let connectionId: string;

  const connection = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'oidc',
    name: 'IdP',
    enabled: true,
    oidc: { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, allowedAlgorithms: ['RS256'] },
    groupRoles: [{ group: 'engineering', role: 'admin' }],
    ...overrides,
  });
  /** Our login redirect: the authorization URL it points to. */
  const startLogin = async (slug: string, query = 'redirectTo=%2Fchat') => {
    const res = await fetch(`${stack.base}/sso/oidc/${slug}/login?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return res.headers.get('location') ?? '';
  };
  const callback = (slug: string, params: Record<string, string>) =>
    stack.get(`/sso/oidc/${slug}/callback?${new URLSearchParams(params).toString()}`);
  /** A whole login whose id_token carries `claims`; answers the callback's result. */
  const loginWith = async (claims: JWTPayload = {}, alg: 'RS256' | 'ES256' = 'RS256') => {
    const authorize = await startLogin(owner.tenant.slug);
    const state = new URL(authorize).searchParams.get('state') ?? '';
    return callback(owner.tenant.slug, { code: op.issueCode(authorize, claims, alg), state });
  };
  const reasonOf = (res: { status: number; body: { error: { code: string; details: { reason: string } } } }) => {
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('sso_login_rejected');
    return res.body.error.details.reason;
  };

  beforeAll(async () => {
    [stack, op] = await Promise.all([
      AuthStack.start({ EGRESS_ALLOW_HTTP: 'true', EGRESS_ALLOWLIST: '127.0.0.1/32' }),
      TestOidcProvider.start(),
    ]);
    owner = await stack.signUp();
    other = await stack.signUp();
    const created = await stack.post('/auth/sso/connections', connection(), owner.accessToken);
    expect(created.status).toBe(201);
    connectionId = created.body.id as string;
  });

  afterAll(async () => {
    await stack?.pg.query(`DELETE FROM auth.sso_connections WHERE tenant_id = ANY($1)`, [
      [owner?.tenant.id, other?.tenant.id].filter(Boolean),
    ]);
    await stack?.stop();
    await op?.stop();
  });

  it('redirects with PKCE S256, the exact redirect URI, state and nonce; signs in a JIT member with the group role', async () => {
    const authorize = new URL(await startLogin(owner.tenant.slug));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${op.issuer}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'parley',
      redirect_uri: `http://app.test/api/v1/sso/oidc/${owner.tenant.slug}/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const state = authorize.searchParams.get('state') ?? '';
    const code = op.issueCode(authorize.toString());
    const done = await callback(owner.tenant.slug, { code, state });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ user: { email: 'pat@acme.example', name: 'Pat Doe' }, redirectTo: '/chat' });
    expect(decodeJwt(done.body.accessToken as string)).toMatchObject({ role: 'admin', tid: owner.tenant.id });
    expect(op.refusals).toEqual([]);
    // The same state again: refused, whatever the code.
    expect(reasonOf(await callback(owner.tenant.slug, { code, state }))).toBe('state_invalid');
  });

  it('keeps the role following the IdP groups on later logins (the group-to-role table owns it)', async () => {
    const left = await loginWith({ email: 'mover@acme.example', groups: ['engineering'] });
    expect(decodeJwt(left.body.accessToken as string)).toMatchObject({ role: 'admin' });
    const moved = await loginWith({ email: 'mover@acme.example', groups: ['sales'] });
    expect(moved.status).toBe(200);
    expect(decodeJwt(moved.body.accessToken as string)).toMatchObject({ role: 'member' });
    const role = await stack.pg.query<{ role: string }>(
      `SELECT m.role FROM auth.memberships m JOIN auth.users u ON u.id = m.user_id
        WHERE u.email = 'mover@acme.example' AND m.tenant_id = $1`,
      [owner.tenant.id],
    );
    expect(role.rows).toEqual([{ role: 'member' }]);
    // An owner is never demoted by a login: the owner signs in with no mapped group and stays owner.
    const ownerLogin = await loginWith({ email: owner.user.email, groups: [] });
    expect(decodeJwt(ownerLogin.body.accessToken as string)).toMatchObject({ role: 'owner' });
  });

  it('refuses a wrong audience, a foreign azp, a nonce of another login, an expired token, a refused algorithm', async () => {
    expect(reasonOf(await loginWith({ aud: 'another-client' }))).toBe('audience_mismatch');
    expect(reasonOf(await loginWith({ aud: ['parley', 'other-api'] }))).toBe('azp_mismatch');
    expect(reasonOf(await loginWith({ nonce: 'nonce-of-another-login' }))).toBe('nonce_mismatch');
    const now = Math.floor(Date.now() / 1000);
    expect(reasonOf(await loginWith({ iat: now - 900, exp: now - 300 }))).toBe('token_expired');
    expect(reasonOf(await loginWith({ iss: 'http://evil.example' }))).toBe('issuer_mismatch');
    expect(reasonOf(await loginWith({}, 'ES256'))).toBe('algorithm_not_allowed');
    expect(reasonOf(await loginWith({ email: undefined }))).toBe('email_missing');
    expect(reasonOf(await loginWith({ email_verified: false }))).toBe('email_unverified');
    const traces = await stack.get(`/auth/sso/connections/${connectionId}/traces`, owner.accessToken);
    expect(traces.body.traces[0]).toMatchObject({ outcome: 'rejected', reason: 'email_unverified' });
    expect(JSON.stringify(traces.body)).not.toContain(op.clientSecret);
  });

  it('refuses an unknown state, an IdP error, and another tenant’s callback for this tenant’s login', async () => {
    expect(reasonOf(await callback(owner.tenant.slug, { code: 'x', state: 'made-up' }))).toBe('state_invalid');
    const authorize = await startLogin(owner.tenant.slug);
    const state = new URL(authorize).searchParams.get('state') ?? '';
    // The other tenant has its own connection to the same IdP; our state is unknown there.
    expect((await stack.post('/auth/sso/connections', connection(), other.accessToken)).status).toBe(201);
    const code = op.issueCode(authorize);
    expect(reasonOf(await callback(other.tenant.slug, { code, state }))).toBe('state_invalid');
    const denied = await startLogin(owner.tenant.slug);
    const deniedState = new URL(denied).searchParams.get('state') ?? '';
    expect(reasonOf(await callback(owner.tenant.slug, { error: 'access_denied', state: deniedState }))).toBe(
      'idp_error',
    );
  });

  it('refuses a redirectTo outside the app, a tenant without OIDC, a disabled connection unless testing', async () => {
    const outside = await fetch(`${stack.base}/sso/oidc/${owner.tenant.slug}/login?redirectTo=https://evil.example`, {
      redirect: 'manual',
    });
    expect(outside.status).toBe(400);
    const unknown = await fetch(`${stack.base}/sso/oidc/no-such-tenant-x/login`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('sso_not_configured');
    const startedBefore = await startLogin(owner.tenant.slug);
    await stack.pg.query(`UPDATE auth.sso_connections SET enabled = false WHERE id = $1`, [connectionId]);
    try {
      const disabled = await fetch(`${stack.base}/sso/oidc/${owner.tenant.slug}/login`, { redirect: 'manual' });
      expect(disabled.status).toBe(404);
      const authorize = await startLogin(owner.tenant.slug, 'test=1');
      const state = new URL(authorize).searchParams.get('state') ?? '';
      const tested = await callback(owner.tenant.slug, { code: op.issueCode(authorize), state });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ test: true, redirectTo: expect.stringMatching(/^\/admin\/sso\?test=/) });
      expect(tested.body.accessToken).toBeUndefined();
      // A refused test login points the browser at its trace, a refused sign-in at the sign-in page.
      const refusedTest = await startLogin(owner.tenant.slug, 'test=1');
      const denied = await callback(owner.tenant.slug, {
        error: 'access_denied',
        state: new URL(refusedTest).searchParams.get('state') ?? '',
      });
      expect(denied.status).toBe(401);
      const details = (denied.body as { error: { details: { traceId: string; redirectTo: string } } }).error.details;
      expect(details.redirectTo).toBe(`/admin/sso?test=${details.traceId}`);
      const off = await callback(owner.tenant.slug, {
        code: 'x',
        state: new URL(startedBefore).searchParams.get('state') ?? '',
      });
      expect((off.body as { error: { details: { redirectTo: string } } }).error.details.redirectTo).toBe(
        '/sign-in?sso_error=connection_disabled',
      );
    } finally {
      await stack.pg.query(`UPDATE auth.sso_connections SET enabled = true WHERE id = $1`, [connectionId]);
    }
  });
});
