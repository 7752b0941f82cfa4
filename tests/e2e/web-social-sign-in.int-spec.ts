import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, TestGitHub } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser } from './support/browser';

/**
 * "Continue with GitHub" in a real browser against the real platform (gateway, auth, tenant) and a
 * local server speaking GitHub's OAuth wire format: the button, GitHub's page, the callback through
 * the gateway (refresh cookie and 303), the app signed in; an email with no account lands back on
 * the sign-in page saying why.
 */
describe('the web app: social sign-in (OAUTH_PROVIDERS=github)', () => {
  let gh: TestGitHub;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  const slug = `social-${randomUUID().slice(0, 8)}`;
  const email = `octo@${slug}.test`;

  const freshPage = async (): Promise<Page> => {
    const page = await (await chromium.browser.newContext()).newPage();
    page.setDefaultTimeout(45_000);
    return page;
  };
  const person = (address: string) => ({
    login: 'octo',
    name: 'Octo Cat',
    emails: [{ email: address, primary: true, verified: true }],
  });

  beforeAll(async () => {
    gh = await TestGitHub.start();
    chromium = await launchChromium();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        auth: (urls) => ({
          TRUST_PROXY_HOPS: '1',
          PUBLIC_URL: urls.gateway ?? '',
          OAUTH_PROVIDERS: 'github',
          OAUTH_GITHUB_CLIENT_ID: gh.clientId,
          OAUTH_GITHUB_CLIENT_SECRET: gh.clientSecret,
          OAUTH_GITHUB_URL: gh.url,
          OAUTH_GITHUB_API_URL: gh.apiUrl,
        }),
        gateway: {
          CHAT_SERVICE_URL: 'http://127.0.0.1:9',
        },
      },
    });
    api = platform.url('gateway');
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email,
        password: 'correct horse battery',
        name: 'Octo Cat',
      }),
    });
    expect(signUp.status).toBe(201);
  });

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await gh?.stop();
  });

  it('signs a person with an account in through GitHub, into the app', async () => {
    const page = await freshPage();
    gh.nextPerson = person(email);
    await page.goto(`${api}/sign-in`);
    const button = page.getByRole('link', { name: 'Continue with GitHub' });
    await button.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await button.click();
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    expect(new URL(page.url()).pathname).not.toMatch(/^\/sign-in/);
    const cookies = await page.context().cookies(`${api}/api/v1/auth/refresh`);
    expect(cookies.find((c) => c.name === 'parley_refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.context().close();
  });

  it('sends a GitHub account whose email has no Parley account back to sign-in, saying why', async () => {
    const page = await freshPage();
    gh.nextPerson = person(`stranger@${slug}.test`);
    await page.goto(`${api}/sign-in`);
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/sign-in' && url.searchParams.get('sso_error') === 'account_not_found',
    );
    await page.getByText('no Parley account uses this email yet', { exact: false }).waitFor();
    expect(await page.context().cookies(`${api}/api/v1/auth/refresh`)).toEqual([]);
    await page.context().close();
  });
});
