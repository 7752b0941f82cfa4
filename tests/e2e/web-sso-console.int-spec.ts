import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKeycloak, type KeycloakAdmin } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { capture } from './support/screenshots';
import { startIdentityStack, type IdentityStack } from './support/stack';

const PASSWORD = 'keycloak user password 1';

/**
 * The admin console's single sign-on page in a real browser, against the real platform and the
 * run's shared Keycloak: the setup wizard (Keycloak, its metadata uploaded as a file, attribute
 * mapping, a group-to-role row), our values copied into a Keycloak SAML client, Test connection in
 * a popup landing on the trace, Enable; then a Keycloak user signs in from the sign-in page. The
 * OIDC form too: Keycloak by its preset, a test login in Chromium landing on its trace, Enable.
 */
describe('the web app: the single sign-on page and signing in with SSO', () => {
  let stack: IdentityStack;
  let admin: KeycloakAdmin;
  let realm: string;
  let chromium: RunningBrowser;
  let context: BrowserContext;
  let page: Page;
  let api: string;
  let aliceId: string;
  const slug = `wsc-${Date.now().toString(36)}`;

  const expectAccessible = async (p: Page, what: string) => {
    expect(await seriousA11yViolations(p), what).toEqual([]);
  };

  const keycloakLogin = async (p: Page, username: string) => {
    await p.locator('#username').fill(username);
    await p.locator('#password').fill(PASSWORD);
    await p.locator('#kc-login').click();
  };

  beforeAll(async () => {
    const [keycloak, identity, browser] = await Promise.all([
      sharedKeycloak(),
      startIdentityStack({
        mode: 'cloud',
        // OIDC discovery reaches this run's Keycloak on loopback over http: allowed here only.
        authEnv: { EGRESS_ALLOW_HTTP: 'true', EGRESS_ALLOWLIST: '127.0.0.1/32' },
        authEnvFromUrls: (urls) => ({ PUBLIC_URL: urls.gateway ?? '' }),
      }),
      launchChromium(),
    ]);
    admin = keycloak.admin;
    stack = identity;
    chromium = browser;
    api = stack.api;
    realm = await admin.createRealm('websso');
    await admin.createGroup(realm, 'parley-admins');
    aliceId = await admin.createUser(realm, {
      username: 'alice',
      email: `alice@${slug}.example`,
      firstName: 'Alice',
      password: PASSWORD,
      groups: ['parley-admins'],
    });
    await admin.createUser(realm, {
      username: 'bob',
      email: `bob@${slug}.example`,
      firstName: 'Bob',
      password: PASSWORD,
    });
    context = await chromium.browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
  }, 900_000);

  afterAll(async () => {
    if (realm) await admin?.deleteRealm(realm);
    await chromium?.close();
    await stack?.stop();
  });

  it('the wizard creates a Keycloak connection from its metadata file, disabled, with our values to copy', async () => {
    await page.goto(`${api}/sign-up`);
    await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Olive Owner',
      email: `owner@${slug}.test`,
      password: 'correct horse battery',
    });
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));

    await page.goto(`${api}/admin/sso`);
    await page.getByRole('heading', { name: 'Single sign-on', level: 1 }).waitFor();
    await page.getByText('No single sign-on connection yet.').waitFor();
    await page.getByRole('button', { name: 'Add connection' }).click();
    const wizard = page.getByRole('region', { name: 'New connection' });
    expect(await wizard.getByLabel('OpenID Connect', { exact: true }).isDisabled()).toBe(false);
    expect(await wizard.getByLabel('LDAP directory', { exact: true }).isDisabled()).toBe(false);
    await wizard.getByLabel('Keycloak', { exact: true }).check();
    await wizard.getByText('create a client of type SAML', { exact: false }).waitFor();
    await wizard.getByLabel('Upload a file').check();
    await wizard.getByLabel('Metadata file (XML)').setInputFiles({
      name: 'keycloak-idp-metadata.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(await admin.samlIdpMetadata(realm)),
    });
    expect(await wizard.getByLabel('Groups attribute').inputValue()).toBe('groups');
    await wizard.getByLabel('Group name').fill('parley-admins');
    await wizard.getByRole('button', { name: 'Add mapping' }).click();
    await wizard.getByText('Group “parley-admins” → Admin').waitFor();
    // Single logout: Keycloak's SLO URL comes from its metadata.
    await wizard.getByLabel('Single logout (SAML SLO)').check();
    await expectAccessible(page, 'the setup wizard');
    await wizard.getByRole('button', { name: 'Save connection' }).click();

    const card = page.getByRole('region', { name: 'Keycloak' });
    await card.getByRole('heading', { name: 'Keycloak · not enabled' }).waitFor();
    const values = card.locator('dd.secret');
    expect(await values.nth(0).textContent()).toBe(`${api}/api/v1/sso/saml/${slug}/metadata`);
    expect(await values.nth(1).textContent()).toBe(`${api}/api/v1/sso/saml/${slug}/acs`);
    expect(await values.nth(3).textContent()).toBe(`${api}/api/v1/sso/saml/${slug}/slo`);
    await card.getByText(`on · ${admin.url}/realms/${realm}/protocol/saml`).waitFor();
    // Single logout is switched on the card, without setting the connection up again; its IdP URL is kept.
    await card.getByRole('button', { name: 'Turn single logout off' }).click();
    await card.getByRole('button', { name: 'Turn single logout on' }).click();
    await card.getByRole('button', { name: 'Turn single logout off' }).waitFor();
    await card.getByText(`on · ${admin.url}/realms/${realm}/protocol/saml`).waitFor();
    await card.getByText(/^Certificate 1 expires /).waitFor();
    const download = await card.getByRole('link', { name: 'Download our metadata' }).getAttribute('href');
    expect(download).toBe(`${api}/api/v1/sso/saml/${slug}/metadata`);
    const metadata = await (await fetch(download ?? '')).text();
    expect(metadata).toContain(`${api}/api/v1/sso/saml/${slug}/acs`);
    expect(metadata).toContain(`Location="${api}/api/v1/sso/saml/${slug}/slo"`);
    // Our signing key is rotated on the card: prepared (the metadata publishes both certificates), then switched to.
    const certificatesIn = async () =>
      [...(await (await fetch(download ?? '')).text()).matchAll(/<ds:X509Certificate>([^<]+)</g)].map((m) => m[1]);
    const [current] = await certificatesIn();
    const rotation = card.getByRole('region', { name: 'Our signing key' });
    await rotation.getByRole('button', { name: 'Prepare a new signing key' }).click();
    await rotation.getByRole('status').waitFor();
    const both = await certificatesIn();
    expect(both).toHaveLength(2);
    expect(both[0]).toBe(current);
    await expectAccessible(page, 'a signing key rotation under way');
    await rotation.getByRole('button', { name: 'Switch to the new key' }).click();
    await rotation.getByRole('button', { name: 'Prepare a new signing key' }).waitFor();
    expect(await certificatesIn()).toEqual([both[1]]);
    await expectAccessible(page, 'the single sign-on page with a connection');
  });

  it('Test connection runs a real Keycloak login in a popup that lands on the trace; no one is signed in', async () => {
    const card = page.getByRole('region', { name: 'Keycloak' });
    const values = card.locator('dd.secret');
    const metadata = await (await fetch((await values.nth(0).textContent()) ?? '')).text();
    await admin.createSamlClient(realm, {
      entityId: (await values.nth(0).textContent()) ?? '',
      acsUrl: (await values.nth(1).textContent()) ?? '',
      // Keycloak's LogoutResponses and LogoutRequests must be signed: "Sign documents" on.
      signDocuments: true,
      // Our SLO URL and signing certificate (from our metadata), as the Keycloak admin enters them.
      singleLogout: {
        url: (await values.nth(3).textContent()) ?? '',
        signingCertificate: /<ds:X509Certificate>([^<]+)</.exec(metadata)?.[1] ?? '',
      },
    });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('button', { name: 'Test connection' }).click(),
    ]);
    popup.setDefaultTimeout(45_000);
    await popup.waitForURL((url) => url.toString().startsWith(admin.url));
    await keycloakLogin(popup, 'alice');
    await popup.waitForURL((url) => url.pathname === '/admin/sso' && url.searchParams.has('test'));
    const result = popup.getByRole('region', { name: 'Test result' });
    await result.getByText('The login passed every check.').waitFor();
    const traceId = new URL(popup.url()).searchParams.get('test') ?? '';
    await result.getByText(`Trace ${traceId}`, { exact: false }).waitFor();
    const checks = await result.getByRole('list', { name: 'Checks' }).locator('li').allTextContents();
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((check) => check.startsWith('✓'))).toBe(true);
    await result
      .getByRole('cell', { name: `alice@${slug}.example` })
      .first()
      .waitFor();
    await result.getByRole('cell', { name: 'parley-admins' }).waitFor();
    await expectAccessible(popup, 'the test result');
    await capture(popup, 'admin-sso-test');
    await popup.close();
    // Still not enabled: a test login does not need it, and it changes nothing.
    await card.getByRole('heading', { name: 'Keycloak · not enabled' }).waitFor();
  });

  it('Enable turns the connection on; a Keycloak user then signs in from the sign-in page, admin by group', async () => {
    const card = page.getByRole('region', { name: 'Keycloak' });
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByRole('heading', { name: 'Keycloak · enabled' }).waitFor();
    await page.reload();
    const preview = card.getByText(/^What the last login sent/);
    await preview.click();
    await card.getByRole('list', { name: 'Attributes received' }).getByText('groups: parley-admins').waitFor();
    await capture(page, 'admin-sso');

    const visitor = await (await chromium.browser.newContext()).newPage();
    visitor.setDefaultTimeout(45_000);
    await visitor.goto(`${api}/sign-in`);
    await visitor.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await visitor.getByLabel('Email').fill(`alice@${slug}.example`);
    await visitor.getByRole('button', { name: 'Continue', exact: true }).click();
    // Her domain is verified by no organisation (or discovery is not deployed): the address leads on.
    await visitor.getByLabel('Organisation address').fill(slug);
    await expectAccessible(visitor, 'sign in with single sign-on');
    await capture(visitor, 'sign-in-sso');
    // A screenshot run reloads the page: ask again (the same answer).
    await visitor.getByLabel('Email').fill(`alice@${slug}.example`);
    await visitor.getByRole('button', { name: 'Continue', exact: true }).click();
    await visitor.getByLabel('Organisation address').fill(slug);
    await visitor.getByRole('button', { name: 'Continue to your identity provider' }).click();
    await visitor.waitForURL((url) => url.toString().startsWith(admin.url));
    await keycloakLogin(visitor, 'alice');
    await visitor.waitForURL((url) => url.origin === api && !url.pathname.startsWith('/sign-in'));
    await visitor.getByRole('link', { name: 'Admin', exact: true }).waitFor();

    // Sign out: through Keycloak (single logout) and back to the sign-in page; her Keycloak session ends.
    const before = await admin.userSessionCount(realm, aliceId);
    await Promise.all([
      visitor.waitForResponse((res) => res.url().startsWith(`${api}/api/v1/sso/saml/${slug}/slo`)),
      visitor.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await visitor.waitForURL(`${api}/sign-in`);
    expect(await admin.userSessionCount(realm, aliceId)).toBe(before - 1);
    await visitor.context().close();
  });

  it('a person in no mapped group signs in as a member and is refused the single sign-on page and its API', async () => {
    const member = await (await chromium.browser.newContext()).newPage();
    member.setDefaultTimeout(45_000);
    await member.goto(`${api}/api/v1/sso/saml/${slug}/login?redirectTo=/`);
    await keycloakLogin(member, 'bob');
    await member.waitForURL((url) => url.origin === api && !url.pathname.startsWith('/sign-in'));
    await member.getByRole('link', { name: 'Chat', exact: true }).waitFor();
    expect(await member.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    await member.goto(`${api}/admin/sso`);
    await member.getByText('This page does not exist.').waitFor();
    expect(await member.getByRole('heading', { name: 'Single sign-on' }).count()).toBe(0);
    // The API refuses a member too, whatever the app shows: the page's own call, made by hand.
    const refused = await member.evaluate(async () => {
      const refresh = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'x-parley-session': 'cookie', 'content-type': 'application/json' },
        body: '{}',
      });
      const { accessToken } = (await refresh.json()) as { accessToken: string };
      const res = await fetch('/api/v1/auth/sso/connections', { headers: { authorization: `Bearer ${accessToken}` } });
      return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await member.context().close();
  });

  it('a refused test login (Keycloak signs with a new key) shows on the page which check failed and why', async () => {
    await admin.addSigningKey(realm, 'rsa-next');
    const card = page.getByRole('region', { name: 'Keycloak' });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('button', { name: 'Test connection' }).click(),
    ]);
    popup.setDefaultTimeout(45_000);
    const backHome = (url: URL) => url.origin === api;
    // Keycloak may remember the first test's session and post back at once, without its form.
    await Promise.race([
      popup
        .locator('#username')
        .waitFor()
        .catch(() => undefined),
      popup.waitForURL(backHome).catch(() => undefined),
    ]);
    if (!backHome(new URL(popup.url()))) await keycloakLogin(popup, 'alice');
    // The refused test login lands on its own trace, like a passed one.
    await popup.waitForURL((url) => backHome(url) && url.pathname === '/admin/sso' && url.searchParams.has('test'));
    await popup
      .getByRole('region', { name: 'Test result' })
      .getByText('The login was refused: the signature does not match', { exact: false })
      .waitFor();
    await popup.close();

    await page.reload();
    await card.getByText(/^What the last login sent/).click();
    await card
      .getByText('The login was refused: the signature does not match a certificate of the connection.')
      .waitFor();
    await card.getByRole('link', { name: 'Show its checks' }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await result.getByText('The login was refused: the signature does not match', { exact: false }).waitFor();
    const checks = await result.getByRole('list', { name: 'Checks' }).locator('li').allTextContents();
    expect(checks.some((check) => check.startsWith('✗'))).toBe(true);
    await expectAccessible(page, 'a refused login’s trace');
  });

  it('a refused SSO login lands on the sign-in page with its reason in words', async () => {
    const visitor = await (await chromium.browser.newContext()).newPage();
    await visitor.goto(`${api}/sign-in?sso_error=audience_mismatch`);
    await visitor
      .getByText('Single sign-on did not sign you in: the audience is not our entity id.', { exact: false })
      .waitFor();
    await expectAccessible(visitor, 'sign-in with an SSO error');
    await visitor.goto(`${api}/sign-in?sso_error=<script>`);
    await visitor.getByText('Single sign-on did not sign you in. Ask your administrator', { exact: false }).waitFor();
    await visitor.context().close();
  });

  it('the wizard connects Keycloak by OIDC too; its test login runs in Chromium and lands on the trace', async () => {
    await admin.createOidcClient(realm, {
      clientId: 'parley-console',
      secret: 'console-oidc-secret-0123456789',
      redirectUris: [`${api}/api/v1/sso/oidc/${slug}/callback`],
    });
    await page.goto(`${api}/admin/sso`);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const wizard = page.getByRole('region', { name: 'New connection' });
    await wizard.getByLabel('OpenID Connect', { exact: true }).check();
    const form = wizard.getByRole('form', { name: 'OIDC connection' });
    await form.getByLabel('Connection name').fill('Keycloak OIDC');
    await form.getByLabel('Identity provider').selectOption('keycloak');
    await form.getByLabel('Issuer URL').fill(`${admin.url}/realms/${realm}`);
    await form.getByLabel('Client ID').fill('parley-console');
    await form.getByLabel('Client secret').fill('console-oidc-secret-0123456789');
    await form.getByLabel('Group name').fill('parley-admins');
    await form.getByRole('button', { name: 'Add mapping' }).click();
    await expectAccessible(page, 'the OIDC form');
    await form.getByRole('button', { name: 'Save connection' }).click();

    const card = page.getByRole('region', { name: 'Keycloak OIDC' });
    await card.getByRole('heading', { name: /Keycloak OIDC · OIDC · not enabled/ }).waitFor();
    expect(await card.locator('dd.secret').first().textContent()).toBe(`${api}/api/v1/sso/oidc/${slug}/callback`);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('button', { name: 'Test connection' }).click(),
    ]);
    popup.setDefaultTimeout(45_000);
    const backHome = (url: URL) => url.origin === api;
    // Keycloak may remember alice's session from the SAML tests and answer at once.
    await Promise.race([
      popup
        .locator('#username')
        .waitFor()
        .catch(() => undefined),
      popup.waitForURL(backHome).catch(() => undefined),
    ]);
    if (!backHome(new URL(popup.url()))) await keycloakLogin(popup, 'alice');
    await popup.waitForURL((url) => backHome(url) && url.pathname === '/admin/sso' && url.searchParams.has('test'));
    await popup.getByRole('region', { name: 'Test result' }).getByText('The login passed every check.').waitFor();
    await popup.close();
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByRole('heading', { name: /Keycloak OIDC · OIDC · enabled/ }).waitFor();
  });
});
