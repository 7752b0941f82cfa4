import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer, freePort, PlatformProcesses, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { capture } from './support/screenshots';
import { SmtpSinkProcess } from './support/smtp-sink-process';

/**
 * The single sign-on pages of the admin console in a real browser against the real platform, with
 * a real DNS server (dnsmasq) and SMTP sink: a domain verified by its TXT record, another by the
 * link mailed to its admin mailbox, and directory sync turned on with a group-to-role mapping.
 */
describe('the web app: verified domains and directory sync', () => {
  let dns: DnsServer;
  let mail: SmtpSinkProcess;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  let page: Page;
  const slug = `wsso-${randomUUID().slice(0, 8)}`;
  const password = 'correct horse battery';

  const expectAccessible = async (what: string) => {
    expect(await seriousA11yViolations(page), what).toEqual([]);
  };

  beforeAll(async () => {
    dns = await DnsServer.start();
    chromium = await launchChromium();
    mail = await SmtpSinkProcess.start(await freePort());
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        auth: (urls) => ({
          TRUST_PROXY_HOPS: '1',
          SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
          DNS_RESOLVERS: dns.address,
          PUBLIC_URL: urls.gateway ?? '',
        }),
        gateway: {
          CHAT_SERVICE_URL: 'http://127.0.0.1:9',
        },
      },
    });
    api = platform.url('gateway');
    page = await (await chromium.browser.newContext()).newPage();
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
  });

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await mail?.stop();
    await dns?.stop();
  });

  it('an owner claims a domain, publishes its TXT record and verifies it', async () => {
    await page.goto(`${api}/sign-up`);
    await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Olive Owner',
      email: `owner@${slug}.test`,
      password: password,
    });
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));

    await page.goto(`${api}/admin/domains`);
    await page.getByRole('heading', { name: 'Domains', level: 1 }).waitFor();
    const domain = `${slug}.test`;
    await page.getByLabel('Domain (for example example.com)').fill(domain.toUpperCase());
    await page.getByRole('button', { name: 'Claim domain' }).click();
    const card = page.getByRole('region', { name: domain });
    await card.getByText('Not verified yet').waitFor();
    const name = await card.locator('dd').nth(0).textContent();
    const value = await card.locator('dd').nth(1).textContent();
    expect(name).toBe(`_parley-challenge.${domain}`);
    expect(value).toMatch(/^parley-domain-verification=/);
    await expectAccessible('domains page, pending');

    await card.getByRole('button', { name: 'Verify DNS record' }).click();
    await card.getByText('The proof was not found', { exact: false }).waitFor();

    await dns.setTxt(name ?? '', [value ?? '']);
    await card.getByRole('button', { name: 'Verify DNS record' }).click();
    await card.getByText('Verified', { exact: true }).waitFor();
    await capture(page, 'admin-domains');
  });

  it('a second domain is verified by the link mailed to its admin mailbox', async () => {
    const domain = `mail-${slug}.test`;
    await page.getByLabel('Domain (for example example.com)').fill(domain);
    await page.getByRole('button', { name: 'Claim domain' }).click();
    const card = page.getByRole('region', { name: domain });
    await card.getByLabel('Or send a link to').selectOption('hostmaster');
    await card.getByRole('button', { name: 'Send verification mail' }).click();
    await card.getByText(`A link was sent to hostmaster@${domain}`, { exact: false }).waitFor();
    const sent = await waitFor(() => mail.messages().find((m) => m.to.includes(`hostmaster@${domain}`)), {
      what: 'the verification mail',
    });
    const link = /(http:\/\/\S+\/verify-domain\?token=\S+)/.exec(sent.text)?.[1] ?? '';
    expect(link.startsWith(api)).toBe(true);

    const visitor = await (await chromium.browser.newContext()).newPage();
    await visitor.goto(link);
    await visitor.getByText(`${domain} is verified.`).waitFor();
    await visitor.close();
    await page.reload();
    await page.getByRole('region', { name: domain }).getByText('Verified', { exact: true }).waitFor();
  });

  it('directory sync shows the token once and saves a group-to-role mapping', async () => {
    await page.goto(`${api}/admin/directory-sync`);
    await page.getByRole('heading', { name: 'Directory sync', level: 1 }).waitFor();
    await page.getByText(`${api}/scim/v2`).waitFor();
    await page.getByRole('button', { name: 'Turn on directory sync' }).click();
    const token = await page.getByLabel('New SCIM token').textContent();
    expect(token).toMatch(/^pscim_[\w-]{43}$/);
    const roles = page.getByRole('region', { name: 'Roles from groups' });
    await roles.getByLabel('Group name').fill('Parley Admins');
    await roles.getByRole('button', { name: 'Add mapping' }).click();
    await roles.getByText('Group “Parley Admins” → Admin').waitFor();
    await roles.getByRole('button', { name: 'Save', exact: true }).click();
    await roles.getByText('Saved.').waitFor();
    await expectAccessible('directory sync page');
    await capture(page, 'admin-directory-sync');

    await page.reload();
    await page.getByRole('region', { name: 'Roles from groups' }).getByText('Group “Parley Admins” → Admin').waitFor();
    expect(await page.getByLabel('New SCIM token').count()).toBe(0);
    expect(await page.content()).not.toContain(token ?? 'never');

    // The identity provider provisions a person through the gateway; they are a member at once.
    const scim = (path: string, body: unknown) =>
      fetch(`${api}/scim/v2${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(body),
      });
    const email = `pat@${slug}.test`;
    const created = await scim('/Users', {
      userName: email,
      name: { givenName: 'Pat', familyName: 'Doe' },
      active: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/scim+json');
    const user = (await created.json()) as { id: string };
    expect((await scim('/Groups', { displayName: 'Parley Admins', members: [{ value: user.id }] })).status).toBe(201);
    const refused = await fetch(`${api}/scim/v2/Users`, { headers: { authorization: 'Bearer pscim_wrong' } });
    expect(refused.status).toBe(401);
    await page.goto(`${api}/admin/members`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    expect(await row.textContent()).toContain('Admin');
  });
});
