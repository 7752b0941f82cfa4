import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlConnectionView } from '@parley/contracts';
import { sharedKeycloak, waitFor, type KeycloakAdmin } from '@parley/testing';
import { FormBrowser, readForm } from './support/form-browser';
import { startIdentityStack, type IdentityStack } from './support/stack';

const PASSWORD = 'keycloak user password 1';

/**
 * SAML single logout with Keycloak 26 (the run's shared instance), through the gateway, as a
 * browser does it. The connection reads Keycloak's SingleLogoutService from its metadata; the
 * Keycloak client requires our LogoutRequests signed with the certificate our connection made.
 * SP-initiated: sign-out in Parley, the browser through Keycloak (which verifies our signature and
 * ends its session) and back to our SLO endpoint, landing on /sign-in. IdP-initiated: the Keycloak
 * admin signs the user out; Keycloak's signed LogoutRequest (back channel, HTTP-POST binding) ends
 * the Parley session at once.
 */
describe('SAML single logout with Keycloak, end to end through the gateway', () => {
  let stack: IdentityStack;
  let admin: KeycloakAdmin;
  let realm: string;
  let api: string;
  let slug: string;
  let connection: SamlConnectionView;
  const users: Record<string, string> = {};

  /** A full SP-initiated login; answers the browser (with Keycloak's and our cookies) and an access token. */
  const signIn = async (username: string, tenantSlug = slug) => {
    const browser = new FormBrowser();
    const start = await browser.request(`${api}/api/v1/sso/saml/${tenantSlug}/login?redirectTo=%2Fchat`);
    expect(start.status).toBe(302);
    const page = await browser.follow(start.headers.get('location') ?? '');
    const login = readForm(await page.res.text(), page.url, /kc-form-login|login-actions/);
    const submitted = await browser.request(login.action, { form: { ...login.fields, username, password: PASSWORD } });
    const posted =
      submitted.status >= 300
        ? await browser.follow(new URL(submitted.headers.get('location') ?? '', login.action).toString())
        : { res: submitted, url: login.action };
    const samlForm = readForm(await posted.res.text(), posted.url);
    const acs = await browser.request(samlForm.action, { form: samlForm.fields });
    expect(acs.status).toBe(303);
    const refreshed = await refresh(browser);
    expect(refreshed.status).toBe(200);
    return { browser, accessToken: ((await refreshed.json()) as { accessToken: string }).accessToken };
  };
  const refresh = (browser: FormBrowser) =>
    browser.request(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
    });
  const me = (accessToken: string) =>
    fetch(`${api}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });

  /** A tenant whose owner connects Keycloak's metadata (enabled) with the given SAML settings. */
  const createTenant = async (tenantSlug: string, settings: Record<string, unknown>) => {
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Acme',
        organizationSlug: tenantSlug,
        email: `owner@${tenantSlug}.example`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    const owner = (await signUp.json()) as { accessToken: string };
    const created = await fetch(`${api}/api/v1/auth/sso/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        protocol: 'saml',
        name: 'Keycloak',
        enabled: true,
        idpMetadataXml: await admin.samlIdpMetadata(realm),
        attributeMapping: { email: 'email', name: 'firstName' },
        ...settings,
      }),
    });
    expect(created.status).toBe(201);
    return (await created.json()) as SamlConnectionView;
  };

  beforeAll(async () => {
    const [keycloak, identity] = await Promise.all([
      sharedKeycloak(),
      startIdentityStack({ mode: 'cloud', authEnvFromUrls: (urls) => ({ PUBLIC_URL: urls.gateway ?? '' }) }),
    ]);
    admin = keycloak.admin;
    stack = identity;
    api = stack.api;
    realm = await admin.createRealm('slo');
    users.carol = await admin.createUser(realm, { username: 'carol', email: 'carol@acme.example', password: PASSWORD });
    users.dave = await admin.createUser(realm, { username: 'dave', email: 'dave@acme.example', password: PASSWORD });

    slug = `slo-${Date.now().toString(36)}`;
    connection = await createTenant(slug, { singleLogout: true });
    expect(connection.idp.sloUrl).toBe(`${admin.url}/realms/${realm}/protocol/saml`);
    expect(connection.serviceProvider.sloUrl).toBe(`${api}/api/v1/sso/saml/${slug}/slo`);
    // The Keycloak admin: our SLO URL (front channel), our signing certificate, signed documents.
    await admin.createSamlClient(realm, {
      entityId: connection.serviceProvider.entityId,
      acsUrl: connection.serviceProvider.acsUrl,
      signDocuments: true,
      groupsAttribute: false,
      singleLogout: { url: connection.serviceProvider.sloUrl, signingCertificate: connection.idp.spCertificate ?? '' },
    });
  }, 900_000);

  afterAll(async () => {
    if (realm) await admin?.deleteRealm(realm);
    await stack?.stop();
  });

  it('SP-initiated: sign-out ends the Parley session and, through Keycloak, its session there; lands on /sign-in', async () => {
    const { browser, accessToken } = await signIn('carol');
    expect(await admin.userSessionCount(realm, users.carol!)).toBe(1);

    const out = await browser.request(`${api}/api/v1/auth/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'x-parley-session': 'cookie' },
    });
    expect(out.status).toBe(200);
    const { idpLogoutUrl } = (await out.json()) as { idpLogoutUrl: string };
    expect(idpLogoutUrl.startsWith(`${admin.url}/realms/${realm}/protocol/saml?SAMLRequest=`)).toBe(true);
    expect(browser.cookie(api, 'parley_refresh')).toBeUndefined();
    // The gateway refuses the access token at once (revocation set).
    expect((await me(accessToken)).status).toBe(401);

    // Keycloak verifies our signature, ends its session, and answers at our SLO endpoint (either binding).
    const atKeycloak = await browser.request(idpLogoutUrl);
    let landing: Response;
    if (atKeycloak.status >= 300 && atKeycloak.status < 400) {
      const back = atKeycloak.headers.get('location') ?? '';
      expect(back.startsWith(`${connection.serviceProvider.sloUrl}?SAMLResponse=`)).toBe(true);
      landing = await browser.request(back, { headers: { accept: 'text/html' } });
    } else {
      expect(atKeycloak.status).toBe(200);
      const form = readForm(await atKeycloak.text(), idpLogoutUrl);
      expect(form.action).toBe(connection.serviceProvider.sloUrl);
      expect(form.fields.SAMLResponse).toBeTruthy();
      landing = await browser.request(form.action, { form: form.fields, headers: { accept: 'text/html' } });
    }
    expect(landing.status).toBe(303);
    expect(landing.headers.get('location')).toBe('/sign-in');
    expect(await admin.userSessionCount(realm, users.carol!)).toBe(0);
  });

  it('IdP-initiated: the Keycloak admin signs the user out; its signed LogoutRequest (back channel) ends the Parley session', async () => {
    // The admin's "Sign out" reaches clients by the back channel: Keycloak posts to our SLO URL itself.
    await admin.setFrontchannelLogout(realm, connection.serviceProvider.entityId, false);
    const { browser, accessToken } = await signIn('dave');
    const other = await signIn('carol');
    expect((await me(accessToken)).status).toBe(200);
    await admin.logoutUser(realm, users.dave!);
    await waitFor(async () => (await me(accessToken)).status === 401, { what: 'the revoked access token refused' });
    expect((await refresh(browser)).status).toBe(401);
    expect((await me(other.accessToken)).status).toBe(200);
    expect(decodeJwt(other.accessToken).sid).not.toBe(decodeJwt(accessToken).sid);
  });

  it('signed AuthnRequests alone: Keycloak requiring signed requests signs in a tenant that signs, refuses one that does not', async () => {
    const signing = `sar-${Date.now().toString(36)}`;
    const signed = await createTenant(signing, { signAuthnRequests: true });
    expect(signed.idp.sloUrl).toBeDefined();
    expect(signed.idp).toMatchObject({ signAuthnRequests: true, singleLogout: false });
    const metadata = await (await fetch(signed.serviceProvider.metadataUrl)).text();
    expect(metadata).toContain('AuthnRequestsSigned="true"');
    expect(metadata).not.toContain('SingleLogoutService');
    await admin.createSamlClient(realm, {
      entityId: signed.serviceProvider.entityId,
      acsUrl: signed.serviceProvider.acsUrl,
      groupsAttribute: false,
      requireSignedRequests: signed.idp.spCertificate ?? '',
    });
    const { accessToken } = await signIn('carol', signing);
    expect((await me(accessToken)).status).toBe(200);

    // The same Keycloak client settings for a tenant that does not sign: Keycloak refuses the request.
    const plain = `uns-${Date.now().toString(36)}`;
    const unsigned = await createTenant(plain, {});
    expect(unsigned.idp.spCertificate).toBeUndefined();
    await admin.createSamlClient(realm, {
      entityId: unsigned.serviceProvider.entityId,
      acsUrl: unsigned.serviceProvider.acsUrl,
      groupsAttribute: false,
      requireSignedRequests: signed.idp.spCertificate ?? '',
    });
    const browser = new FormBrowser();
    const start = await browser.request(`${api}/api/v1/sso/saml/${plain}/login?redirectTo=%2F`);
    expect(new URL(start.headers.get('location') ?? '').searchParams.has('Signature')).toBe(false);
    const page = await browser.follow(start.headers.get('location') ?? '');
    const html = await page.res.text();
    expect(html).not.toMatch(/kc-form-login/);
    expect(page.res.status).toBeGreaterThanOrEqual(400);
  });
});
