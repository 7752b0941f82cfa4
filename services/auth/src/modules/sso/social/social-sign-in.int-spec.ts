import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGitHub, type GitHubPerson } from '@parley/testing';
import { AuthStack, type Session } from '../../../testing/auth-stack';
import { TestOidcProvider } from '../../../testing/test-oidc-provider';

/**
 * Platform-wide social sign-in at the auth service: GitHub through passport-oauth2 against a local
 * server speaking GitHub's wire format, and Okta (OIDC) against a local provider; each whole login
 * with state, PKCE and the client secret checked by the provider.
 */
describe('social sign-in (OAUTH_PROVIDERS): GitHub by OAuth 2.0, Okta by OIDC', () => {
  let stack: AuthStack;
  let gh: TestGitHub;
  let okta: TestOidcProvider;
  let owner: Session;

  const person = (email: string, overrides: Partial<GitHubPerson> = {}): GitHubPerson => ({
    login: 'octo',
    name: 'Octo Cat',
    emails: [
      { email: 'old@elsewhere.example', primary: false, verified: false },
      { email, primary: true, verified: true },
    ],
    ...overrides,
  });
  const start = async (provider: string, query = 'redirectTo=%2Fchat%2F7') => {
    const res = await fetch(`${stack.base}/oauth/${provider}/login?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return res.headers.get('location') ?? '';
  };
  const callback = (provider: string, params: Record<string, string>) =>
    stack.get(`/oauth/${provider}/callback?${new URLSearchParams(params).toString()}`);
  const gitHubLogin = async (who: GitHubPerson) => {
    const authorize = await start('github');
    const state = new URL(authorize).searchParams.get('state') ?? '';
    return callback('github', { code: gh.issueCode(authorize, who), state });
  };
  const refusal = (res: { status: number; body: Record<string, unknown> }) => {
    expect(res.status).toBe(401);
    const error = res.body.error as { code: string; details: { reason: string; redirectTo: string } };
    expect(error.code).toBe('sso_login_rejected');
    expect(error.details.redirectTo).toBe(`/sign-in?sso_error=${error.details.reason}`);
    return error.details.reason;
  };

  beforeAll(async () => {
    [gh, okta] = await Promise.all([TestGitHub.start(), TestOidcProvider.start('parley-okta')]);
    stack = await AuthStack.start({
      EGRESS_ALLOW_HTTP: 'true',
      EGRESS_ALLOWLIST: '127.0.0.1/32',
      OAUTH_PROVIDERS: 'github,okta',
      OAUTH_GITHUB_CLIENT_ID: gh.clientId,
      OAUTH_GITHUB_CLIENT_SECRET: gh.clientSecret,
      OAUTH_GITHUB_URL: gh.url,
      OAUTH_GITHUB_API_URL: gh.apiUrl,
      OAUTH_OKTA_CLIENT_ID: okta.clientId,
      OAUTH_OKTA_CLIENT_SECRET: okta.clientSecret,
      OAUTH_OKTA_ISSUER: okta.issuer,
    });
    owner = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
    await gh?.stop();
    await okta?.stop();
  });

  it('lists the providers the operator turned on, and refuses the others', async () => {
    const list = await stack.get('/oauth/providers');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      providers: [
        { id: 'github', name: 'GitHub', loginUrl: '/api/v1/auth/oauth/github/login' },
        { id: 'okta', name: 'Okta', loginUrl: '/api/v1/auth/oauth/okta/login' },
      ],
    });
    const off = await fetch(`${stack.base}/oauth/google/login`, { redirect: 'manual' });
    expect(off.status).toBe(404);
    expect(((await off.json()) as { error: { code: string } }).error.code).toBe('sso_not_configured');
    const outside = await fetch(`${stack.base}/oauth/github/login?redirectTo=https://evil.example`, {
      redirect: 'manual',
    });
    expect(outside.status).toBe(400);
  });

  it('GitHub: redirects with state and PKCE S256, then signs the account with that verified email in', async () => {
    const authorize = new URL(await start('github'));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${gh.url}/login/oauth/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: gh.clientId,
      redirect_uri: 'http://app.test/api/v1/auth/oauth/github/callback',
      scope: 'read:user user:email',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const state = authorize.searchParams.get('state') ?? '';
    const done = await callback('github', {
      code: gh.issueCode(authorize.toString(), person(owner.user.email)),
      state,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      redirectTo: '/chat/7',
      user: { id: owner.user.id },
      tenant: { id: owner.tenant.id },
    });
    expect(decodeJwt(done.body.accessToken as string)).toMatchObject({ sub: owner.user.id, tid: owner.tenant.id });
    // The same state again (a replayed callback) is refused: states are used once.
    expect(refusal(await callback('github', { code: 'again', state }))).toBe('state_invalid');
  });

  it('GitHub: refuses an unverified email, an unknown account, a state of another provider and a bad code', async () => {
    const unverified = person(owner.user.email);
    unverified.emails = unverified.emails.map((e) => ({ ...e, verified: false }));
    expect(refusal(await gitHubLogin(unverified))).toBe('email_unverified');
    expect(refusal(await gitHubLogin(person('nobody-here@example.com')))).toBe('account_not_found');
    const oktaState = new URL(await start('okta')).searchParams.get('state') ?? '';
    expect(refusal(await callback('github', { code: 'x', state: oktaState }))).toBe('state_invalid');
    const authorize = await start('github');
    const badCode = await callback('github', {
      code: 'not-issued',
      state: new URL(authorize).searchParams.get('state') ?? '',
    });
    expect(refusal(badCode)).toBe('idp_error');
    expect(gh.refusals).toContain('unknown code');
  });

  it('Okta (OIDC): signs in by a verified email; refuses an unverified one, a wrong nonce and a reused state', async () => {
    const login = async (claims: Record<string, unknown>) => {
      const authorize = await start('okta');
      const state = new URL(authorize).searchParams.get('state') ?? '';
      return { state, res: await callback('okta', { code: okta.issueCode(authorize, claims), state }) };
    };
    const { state, res } = await login({ email: owner.user.email.toUpperCase(), aud: 'parley-okta' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ redirectTo: '/chat/7', user: { id: owner.user.id } });
    expect(refusal(await callback('okta', { code: 'again', state }))).toBe('state_invalid');
    expect(refusal((await login({ email: owner.user.email, aud: 'parley-okta', email_verified: false })).res)).toBe(
      'email_unverified',
    );
    expect(refusal((await login({ email: owner.user.email, aud: 'parley-okta', nonce: 'other' })).res)).toBe(
      'nonce_mismatch',
    );
    expect(refusal((await login({ email: 'stranger@example.com', aud: 'parley-okta' })).res)).toBe('account_not_found');
  });

  it('refuses an organisation that requires its own single sign-on, as it refuses a password', async () => {
    await stack.pg.query(
      `INSERT INTO auth.sso_policies (tenant_id, sso_required) VALUES ($1, true)
         ON CONFLICT (tenant_id) DO UPDATE SET sso_required = true`,
      [owner.tenant.id],
    );
    try {
      const res = await gitHubLogin(person(owner.user.email));
      expect(res.status).toBe(403);
      expect((res.body.error as { code: string }).code).toBe('sso_required');
    } finally {
      await stack.pg.query(`UPDATE auth.sso_policies SET sso_required = false WHERE tenant_id = $1`, [owner.tenant.id]);
    }
  });
});
