import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapServer, PlatformProcesses } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser } from './support/browser';

/**
 * The LDAP pages in a real browser against the real platform and a real directory (slapd over
 * ldaps on loopback): the admin connects the directory with the wizard's LDAP form, tests it with a
 * probe login (each step shown), enables it; then a person of that directory, whose email domain
 * the organisation verified, signs in email-first with their directory password.
 */
describe('the web app: LDAP connection in the console, and directory sign-in after discovery', () => {
  let ldap: LdapServer;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  let page: Page;
  const slug = `wldap-${randomUUID().slice(0, 8)}`;
  const domain = `${slug}.test`;
  const password = 'correct horse battery';

  beforeAll(async () => {
    ldap = await LdapServer.start();
    chromium = await launchChromium();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        auth: (urls) => ({ TRUST_PROXY_HOPS: '1', PUBLIC_URL: urls.gateway ?? '', EGRESS_ALLOWLIST: '127.0.0.1/32' }),
        gateway: {
          CHAT_SERVICE_URL: 'http://127.0.0.1:9',
        },
      },
    });
    api = platform.url('gateway');
    const ann = await ldap.addPerson({ uid: 'ann', mail: `ann@${domain}`, name: 'Ann Lee', password: 'ann-secret-1' });
    await ldap.setGroup('Parley Admins', [ann]);
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${domain}`,
        password,
        name: 'Olive Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    const { tenant, user } = (await signUp.json()) as { tenant: { id: string }; user: { id: string } };
    // The domain is verified as a DNS TXT check would (that flow has its own browser test, web-sso).
    const pg = new Client({ connectionString: platform.db.url });
    await pg.connect();
    await pg.query(
      `INSERT INTO auth.tenant_domains (id, tenant_id, domain, challenge, created_by, verified_at, verified_by)
       VALUES ($1, $2, $3, 'seeded', $4, now(), 'dns')`,
      [randomUUID(), tenant.id, domain, user.id],
    );
    await pg.end();
    page = await (await chromium.browser.newContext()).newPage();
    page.setDefaultTimeout(45_000);
  }, 300_000);

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await ldap?.stop();
  });

  it('an owner connects the directory with the wizard, tests a probe login and enables it', async () => {
    await page.goto(`${api}/sign-in`);
    await page.getByLabel('Email').fill(`owner@${domain}`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New chat' }).waitFor();

    await page.goto(`${api}/admin/sso`);
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('LDAP directory').check();
    const form = page.getByRole('form', { name: 'LDAP connection' });
    await form.getByLabel('Connection name').fill('Acme directory');
    await form.getByLabel('Directory address (ldaps:// or ldap://)').fill(ldap.tlsUrl);
    await form.getByLabel('CA certificate of the directory', { exact: false }).fill(ldap.caCertificate);
    await form.getByLabel('Service account DN').fill(ldap.adminDn);
    await form.getByLabel('Service account password').fill(ldap.adminPassword);
    await form.getByLabel('Where people are (base DN)').fill(`ou=people,${ldap.baseDn}`);
    await form.getByLabel('Group name').fill('Parley Admins');
    await form.getByRole('button', { name: 'Add mapping' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Save connection' }).click();

    const card = page.getByRole('region', { name: 'Acme directory' });
    await card.getByRole('heading', { name: /Acme directory · LDAP · not enabled/ }).waitFor();
    const test = card.getByRole('form', { name: 'Test the directory' });
    await test.getByLabel('A person’s login (optional)').fill('ann');
    await test.getByLabel('Their password').fill('ann-secret-1');
    await test.getByRole('button', { name: 'Test connection' }).click();
    const result = card.getByRole('status', { name: 'Test result' });
    await result.getByText('The directory answers: every step passed.').waitFor();
    await result.getByText(`Found Ann Lee <ann@${domain}>, groups: Parley Admins`).waitFor();
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByRole('heading', { name: /Acme directory · LDAP · enabled/ }).waitFor();
    await page.context().clearCookies();
  });

  it('a directory person signs in email-first with their directory password, with the mapped role', async () => {
    const person = await (await chromium.browser.newContext()).newPage();
    person.setDefaultTimeout(45_000);
    await person.goto(`${api}/sign-in/sso`);
    await person.getByLabel('Email').fill(`ann@${domain}`);
    await person.getByRole('button', { name: 'Continue' }).click();
    const form = person.getByRole('form', { name: 'Sign in with your directory' });
    await form.waitFor();
    expect(await form.getByLabel('Directory login (email or username)').inputValue()).toBe(`ann@${domain}`);
    await form.getByLabel('Password').fill('not-her-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').waitFor();
    await form.getByLabel('Password').fill('ann-secret-1');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await person.getByRole('button', { name: 'New chat' }).waitFor();
    await person.goto(`${api}/admin/sso`);
    await person.getByRole('heading', { name: 'Single sign-on', level: 1 }).waitFor();
    await person.context().close();
  });
});
