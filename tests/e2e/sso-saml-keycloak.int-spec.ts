import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlConnectionView } from '@parley/contracts';
import { sharedKeycloak, type KeycloakAdmin } from '@parley/testing';
import { FormBrowser, readForm } from './support/form-browser';
import { json, startIdentityStack, type IdentityStack } from './support/stack';

const PASSWORD = 'keycloak user password 1';

/**
 * A real SP-initiated SAML login against Keycloak 26 (the run's shared instance), through the
 * gateway, as a browser does it: login redirect, Keycloak's login form, its auto-submitted POST to
 * our ACS, the refresh cookie and the redirect into the app, then a cookie refresh into an access
 * token. The member is provisioned just in time with the role of their Keycloak group.
 */
describe('SAML single sign-on with Keycloak, end to end through the gateway', () => {
  let stack: IdentityStack;
  let admin: KeycloakAdmin;
  let realm: string;
  let api: string;
  let slug: string;
  let connection: SamlConnectionView;
  let ownerToken: string;

  const authed = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  /**
   * A GET through the gateway. Its role lookup at auth has a 2 s deadline, which a 2-core machine
   * running Keycloak beside the suite can miss: a 503 is asked again (at most 3 times).
   */
  const getJson = async (path: string, token: string) => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${api}${path}`, { headers: authed(token) });
      if (res.status !== 503 || attempt === 3) return json(res);
    }
  };

  /** Login as a person would: returns the ACS answer (a 303 with the cookie) and the browser. */
  const loginAs = async (username: string, redirectTo = '/chat', test = false) => {
    const browser = new FormBrowser();
    const start = await browser.request(
      `${api}/api/v1/sso/saml/${slug}/login?redirectTo=${encodeURIComponent(redirectTo)}${test ? '&test=1' : ''}`,
    );
    expect(start.status).toBe(302);
    const idpUrl = start.headers.get('location') ?? '';
    expect(idpUrl.startsWith(`${admin.url}/realms/${realm}/protocol/saml?SAMLRequest=`)).toBe(true);
    const page = await browser.follow(idpUrl);
    expect(page.res.status).toBe(200);
    const login = readForm(await page.res.text(), page.url, /kc-form-login|login-actions/);
    const submitted = await browser.request(login.action, {
      form: { ...login.fields, username, password: PASSWORD },
    });
    const posted =
      submitted.status >= 300
        ? await browser.follow(new URL(submitted.headers.get('location') ?? '', login.action).toString())
        : { res: submitted, url: login.action };
    const html = await posted.res.text();
    const samlForm = readForm(html, posted.url);
    expect(samlForm.action).toBe(connection.serviceProvider.acsUrl);
    expect(samlForm.fields.SAMLResponse).toBeTruthy();
    const acs = await browser.request(samlForm.action, { form: samlForm.fields });
    return { acs, browser, samlForm };
  };

  beforeAll(async () => {
    const [keycloak, identity] = await Promise.all([
      sharedKeycloak(),
      startIdentityStack({ mode: 'cloud', authEnvFromUrls: (urls) => ({ PUBLIC_URL: urls.gateway ?? '' }) }),
    ]);
    admin = keycloak.admin;
    stack = identity;
    api = stack.api;
    realm = await admin.createRealm('saml');
    await admin.createGroup(realm, 'parley-admins');
    await admin.createUser(realm, {
      username: 'alice',
      email: 'alice@acme.example',
      firstName: 'Alice',
      password: PASSWORD,
      groups: ['parley-admins'],
    });
    await admin.createUser(realm, { username: 'bob', email: 'bob@acme.example', firstName: 'Bob', password: PASSWORD });

    slug = `kc-${Date.now().toString(36)}`;
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
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
    expect(signUp.status).toBe(201);
    const owner = (await signUp.json()) as { accessToken: string };
    ownerToken = owner.accessToken;
    // The tenant admin's setup, through the public API: upload Keycloak's metadata, map, enable.
    const created = await fetch(`${api}/api/v1/auth/sso/connections`, {
      method: 'POST',
      headers: authed(owner.accessToken),
      body: JSON.stringify({
        protocol: 'saml',
        name: 'Keycloak',
        enabled: true,
        idpMetadataXml: await admin.samlIdpMetadata(realm),
        attributeMapping: { email: 'email', name: 'firstName', groups: 'groups' },
        groupRoles: [{ group: 'parley-admins', role: 'admin' }],
      }),
    });
    expect(created.status).toBe(201);
    connection = (await created.json()) as SamlConnectionView;
    expect(connection.serviceProvider.acsUrl).toBe(`${api}/api/v1/sso/saml/${slug}/acs`);
    // The Keycloak admin's side: a SAML client for our entity id and ACS.
    await admin.createSamlClient(realm, {
      entityId: connection.serviceProvider.entityId,
      acsUrl: connection.serviceProvider.acsUrl,
    });
  }, 900_000);

  afterAll(async () => {
    if (realm) await admin?.deleteRealm(realm);
    await stack?.stop();
  });

  it('signs a Keycloak user in: JIT member with the mapped role, refresh cookie, redirect into the app', async () => {
    const { acs, browser, samlForm } = await loginAs('alice', '/chat');
    expect(acs.status).toBe(303);
    // Keycloak's own response, posted again (a replay through the gateway), is refused.
    const replay = await new FormBrowser().request(samlForm.action, { form: samlForm.fields });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      error: { code: 'sso_login_rejected', details: { reason: 'assertion_replayed' } },
    });
    expect(acs.headers.get('location')).toBe('/chat');
    const cookie = browser.cookie(api, 'parley_refresh');
    expect(cookie).toMatch(/^prt_/);

    // The web app's reload flow: refresh with the cookie and the session header.
    const refreshed = await browser.request(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
    });
    expect(refreshed.status).toBe(200);
    const session = (await refreshed.json()) as { accessToken: string; refreshToken?: string };
    expect(session.refreshToken).toBeUndefined();
    const me = await getJson('/api/v1/me', session.accessToken);
    expect(me).toMatchObject({ role: 'admin' });
    expect(decodeJwt(session.accessToken)).toMatchObject({ role: 'admin' });
    const whoami = await getJson('/api/v1/auth/me', session.accessToken);
    expect(whoami).toMatchObject({ user: { email: 'alice@acme.example', name: 'Alice' }, tenant: { role: 'admin' } });
  });

  it('gives a user outside the mapped group the default role; the trace shows the attributes Keycloak sent', async () => {
    const { acs, browser } = await loginAs('bob', '/');
    expect(acs.status).toBe(303);
    const refreshed = await browser.request(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
    });
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect(decodeJwt(accessToken)).toMatchObject({ role: 'member' });

    // The owner reads the traces of the connection (newest first).
    const signIn = await fetch(`${api}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@${slug}.example`, password: 'correct horse battery' }),
    });
    const owner = (await signIn.json()) as { accessToken: string };
    const traces = await getJson(`/api/v1/auth/sso/connections/${connection.id}/traces`, owner.accessToken);
    const [bobs, replayed, alices] = traces.traces;
    expect(bobs).toMatchObject({ outcome: 'success', attributes: { email: ['bob@acme.example'] } });
    expect(replayed).toMatchObject({ outcome: 'rejected', reason: 'assertion_replayed' });
    expect(alices).toMatchObject({ outcome: 'success', attributes: { groups: ['parley-admins'] } });
  });

  it('survives an IdP key rollover once the admin adds Keycloak’s new certificate, and refuses it before', async () => {
    await admin.addSigningKey(realm, 'rsa-next');
    const before = await loginAs('alice');
    expect(before.acs.status).toBe(401);
    expect(await before.acs.json()).toMatchObject({ error: { details: { reason: 'signature_invalid' } } });

    const metadata = await admin.samlIdpMetadata(realm);
    const replaced = await fetch(`${api}/api/v1/auth/sso/connections/${connection.id}`, {
      method: 'PUT',
      headers: authed(ownerToken),
      body: JSON.stringify({
        protocol: 'saml',
        name: 'Keycloak',
        enabled: true,
        idp: { ...connection.idp, certificates: [...connection.idp.certificates, ...certificatesOf(metadata)] },
        attributeMapping: connection.attributeMapping,
        groupRoles: connection.groupRoles,
      }),
    });
    expect(replaced.status).toBe(200);
    const after = await loginAs('alice');
    expect(after.acs.status).toBe(303);
  });

  it('runs a test login (Test connection) through Keycloak: the trace is recorded, no session, no cookie', async () => {
    const { acs, browser } = await loginAs('bob', '/', true);
    expect(acs.status).toBe(303);
    const location = acs.headers.get('location') ?? '';
    expect(location).toMatch(/^\/admin\/sso\?test=[0-9a-f-]{36}$/);
    expect(browser.cookie(api, 'parley_refresh')).toBeUndefined();
    const traces = await getJson(`/api/v1/auth/sso/connections/${connection.id}/traces`, ownerToken);
    expect(traces.traces[0]).toMatchObject({
      id: location.split('=')[1],
      outcome: 'success',
      userId: null,
      attributes: { email: ['bob@acme.example'] },
    });
  });
});

/** The X.509 certificates (base64 DER) of a metadata document. */
function certificatesOf(xml: string): string[] {
  return [...xml.matchAll(/<(?:\w+:)?X509Certificate>([^<]+)</g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
}
