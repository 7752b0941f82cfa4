import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcConnectionView } from '@parley/contracts';
import { sharedKeycloak, type KeycloakAdmin } from '@parley/testing';
import { FormBrowser, readForm } from './support/form-browser';
import { json, startIdentityStack, type IdentityStack } from './support/stack';

const PASSWORD = 'keycloak user password 1';
const CLIENT_SECRET = 'parley-oidc-client-secret-0123456789';

/**
 * A real OIDC login (authorization code + PKCE S256) against Keycloak 26 (the run's shared
 * instance), through the gateway, as a browser does it: our login redirect, Keycloak's login form,
 * its redirect to our callback, the refresh cookie and the 303 into the app. Discovery, JWKS and the
 * token endpoint are reached through the egress policy (loopback http allowed by this operator).
 */
describe('OIDC single sign-on with Keycloak, end to end through the gateway', () => {
  let stack: IdentityStack;
  let admin: KeycloakAdmin;
  let realm: string;
  let api: string;
  let connection: OidcConnectionView;
  const tenants: { slug: string; token: string }[] = [];

  const authed = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const oidcInput = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'oidc',
    name: 'Keycloak',
    enabled: true,
    oidc: {
      preset: 'keycloak',
      issuer: `${admin.url}/realms/${realm}`,
      clientId: 'parley',
      clientSecret: CLIENT_SECRET,
      allowedAlgorithms: ['RS256'],
      ...overrides,
    },
    groupRoles: [{ group: 'parley-admins', role: 'admin' }],
  });

  const signUp = async (slug: string) => {
    const res = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Acme',
        organizationSlug: slug,
        email: `owner@${slug}.example`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  /** Up to Keycloak's redirect to our callback: returns the callback URL (not yet visited) and the browser. */
  const toCallback = async (slug: string, username: string, query = 'redirectTo=%2Fchat') => {
    const browser = new FormBrowser();
    const start = await browser.request(`${api}/api/v1/sso/oidc/${slug}/login?${query}`);
    expect(start.status).toBe(302);
    const idpUrl = new URL(start.headers.get('location') ?? '');
    expect(`${idpUrl.origin}${idpUrl.pathname}`).toBe(`${admin.url}/realms/${realm}/protocol/openid-connect/auth`);
    expect(idpUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(idpUrl.searchParams.get('redirect_uri')).toBe(`${api}/api/v1/sso/oidc/${slug}/callback`);
    const page = await browser.follow(idpUrl.toString());
    expect(page.res.status).toBe(200);
    const login = readForm(await page.res.text(), page.url, /kc-form-login|login-actions/);
    const submitted = await browser.request(login.action, { form: { ...login.fields, username, password: PASSWORD } });
    expect(submitted.status).toBe(302);
    const callback = new URL(submitted.headers.get('location') ?? '', login.action).toString();
    expect(callback.startsWith(`${api}/api/v1/sso/oidc/${slug}/callback?`)).toBe(true);
    return { browser, callback };
  };

  const reasonOf = async (res: Response) => ((await res.json()) as { error: { details: { reason: string } } }).error;

  beforeAll(async () => {
    const [keycloak, identity] = await Promise.all([
      sharedKeycloak(),
      startIdentityStack({
        mode: 'cloud',
        authEnv: { EGRESS_ALLOW_HTTP: 'true', EGRESS_ALLOWLIST: '127.0.0.1/32' },
        authEnvFromUrls: (urls) => ({ PUBLIC_URL: urls.gateway ?? '' }),
      }),
    ]);
    admin = keycloak.admin;
    stack = identity;
    api = stack.api;
    realm = await admin.createRealm('oidc');
    await admin.createGroup(realm, 'parley-admins');
    await admin.createUser(realm, {
      username: 'alice',
      email: 'alice@acme.example',
      firstName: 'Alice',
      password: PASSWORD,
      groups: ['parley-admins'],
    });
    await admin.createUser(realm, { username: 'bob', email: 'bob@acme.example', firstName: 'Bob', password: PASSWORD });
    for (const prefix of ['oa', 'ob']) {
      const slug = `${prefix}-${Date.now().toString(36)}`;
      tenants.push({ slug, token: await signUp(slug) });
    }
    const redirectUris = tenants.map((t) => `${api}/api/v1/sso/oidc/${t.slug}/callback`);
    await admin.createOidcClient(realm, { clientId: 'parley', secret: CLIENT_SECRET, redirectUris });
    // Both tenants connect the same Keycloak client (their own connection each).
    for (const tenant of tenants) {
      const created = await fetch(`${api}/api/v1/auth/sso/connections`, {
        method: 'POST',
        headers: authed(tenant.token),
        body: JSON.stringify(oidcInput()),
      });
      expect(created.status).toBe(201);
      connection ??= (await created.json()) as OidcConnectionView;
    }
    expect(connection.relyingParty.redirectUri).toBe(redirectUris[0]);
  }, 900_000);

  afterAll(async () => {
    if (realm) await admin?.deleteRealm(realm);
    await stack?.stop();
  });

  it('signs a Keycloak user in: JIT member with the mapped group role, refresh cookie, 303 into the app', async () => {
    const [tenant] = tenants;
    const { browser, callback } = await toCallback(tenant?.slug ?? '', 'alice');
    const done = await browser.request(callback);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/chat');
    expect(browser.cookie(api, 'parley_refresh')).toMatch(/^prt_/);
    const refreshed = await browser.request(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
    });
    expect(refreshed.status).toBe(200);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect(decodeJwt(accessToken)).toMatchObject({ role: 'admin' });
    const whoami = await json(await fetch(`${api}/api/v1/auth/me`, { headers: authed(accessToken) }));
    expect(whoami).toMatchObject({
      user: { email: 'alice@acme.example', name: 'Alice User' },
      tenant: { role: 'admin' },
    });

    // The same callback again (a replayed state and code) is refused.
    const replay = await new FormBrowser().request(callback);
    expect(replay.status).toBe(401);
    expect(await reasonOf(replay)).toMatchObject({ code: 'sso_login_rejected', details: { reason: 'state_invalid' } });
  });

  it('gives a user outside the mapped group the default role; the trace shows the claims', async () => {
    const [tenant] = tenants;
    const { browser, callback } = await toCallback(tenant?.slug ?? '', 'bob', 'redirectTo=%2F');
    expect((await browser.request(callback)).status).toBe(303);
    const refreshed = await browser.request(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
    });
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect(decodeJwt(accessToken)).toMatchObject({ role: 'member' });
    const traces = await json(
      await fetch(`${api}/api/v1/auth/sso/connections/${connection.id}/traces`, {
        headers: authed(tenant?.token ?? ''),
      }),
    );
    expect(traces.traces[0]).toMatchObject({ outcome: 'success', attributes: { email: ['bob@acme.example'] } });
    expect(JSON.stringify(traces)).not.toContain(CLIENT_SECRET);
  });

  it('refuses a made-up state, and another tenant’s callback for a login this tenant started', async () => {
    const [a, b] = tenants;
    const { browser, callback } = await toCallback(a?.slug ?? '', 'bob');
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'made-up-state');
    const forged = await browser.request(wrong.toString());
    expect(forged.status).toBe(401);
    expect((await reasonOf(forged)).details.reason).toBe('state_invalid');
    const atB = new URL(callback.replace(`/oidc/${a?.slug ?? ''}/`, `/oidc/${b?.slug ?? ''}/`));
    const crossTenant = await browser.request(atB.toString());
    expect(crossTenant.status).toBe(401);
    expect((await reasonOf(crossTenant)).details.reason).toBe('state_invalid');
    expect(browser.cookie(api, 'parley_refresh')).toBeUndefined();
  });

  it('refuses an id_token signed with an algorithm the connection does not allow (Keycloak signs RS256)', async () => {
    const [, b] = tenants;
    const list = await json(await fetch(`${api}/api/v1/auth/sso/connections`, { headers: authed(b?.token ?? '') }));
    const id = (list.connections as { id: string }[])[0]?.id ?? '';
    const { clientSecret: _kept, ...settings } = oidcInput({ allowedAlgorithms: ['ES256'] }).oidc;
    const replaced = await fetch(`${api}/api/v1/auth/sso/connections/${id}`, {
      method: 'PUT',
      headers: authed(b?.token ?? ''),
      body: JSON.stringify({ ...oidcInput(), oidc: settings }),
    });
    expect(replaced.status).toBe(200);
    const { browser, callback } = await toCallback(b?.slug ?? '', 'alice');
    const refused = await browser.request(callback);
    expect(refused.status).toBe(401);
    expect((await reasonOf(refused)).details.reason).toBe('algorithm_not_allowed');
  });

  it('runs a test login (Test connection): trace recorded, no session, no cookie', async () => {
    const [tenant] = tenants;
    const { browser, callback } = await toCallback(tenant?.slug ?? '', 'alice', 'test=1');
    const done = await browser.request(callback);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/admin\/sso\?test=[0-9a-f-]{36}$/);
    expect(browser.cookie(api, 'parley_refresh')).toBeUndefined();
  });
});
