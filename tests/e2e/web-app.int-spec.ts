import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LlmSimulator, PlatformProcesses, serviceFetch, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { capture } from './support/screenshots';
import { SmtpSinkProcess } from './support/smtp-sink-process';

/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the real
 * platform: gateway (serving the build), auth, tenant and chat-orchestrator as processes on the real
 * Postgres, Redis and Kafka, the LLM simulator as the provider and the SMTP sink for mail. One person
 * goes through the product as a person would, by role and label; axe-core checks each main page.
 */
describe('the web app in a browser', () => {
  let sim: LlmSimulator;
  let mail: SmtpSinkProcess;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  let owner: BrowserContext;
  let page: Page;
  const slug = `web-${randomUUID().slice(0, 8)}`;
  const ownerEmail = `owner@${slug}.test`;
  const memberEmail = `member@${slug}.test`;
  const cspViolations: string[] = [];
  let conversationUrl = '';

  /** A fresh context (its own cookies) with a page that records Content-Security-Policy refusals. */
  const newPage = async (context: BrowserContext) => {
    const p = await context.newPage();
    p.setDefaultTimeout(45_000);
    p.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
      if (process.env.WEB_E2E_DEBUG) console.log(`[browser ${message.type()}] ${message.text()}`);
    });
    p.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
    return p;
  };

  const expectAccessible = async (p: Page, what: string) => {
    expect(await seriousA11yViolations(p), what).toEqual([]);
  };

  const assistantTexts = (p: Page) =>
    p.getByRole('article', { name: 'Assistant' }).evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));

  beforeAll(async () => {
    chromium = await launchChromium();
    sim = await LlmSimulator.start();
    mail = await SmtpSinkProcess.start(await freePort());
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        // The free plan has one token a month (the second organisation meets its quota); the first goes pro.
        tenant: { PLAN_FREE_TOKENS_PER_MONTH: '1', PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        auth: { TRUST_PROXY_HOPS: '1', SMTP_URL: `smtp://127.0.0.1:${mail.port}` },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'anthropic',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
          CHAT_PROVIDER_MAX_RETRIES: '0',
        },
      },
    });
    api = platform.url('gateway');
    owner = await chromium.browser.newContext();
    page = await newPage(owner);
  });

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await mail?.stop();
    await sim?.close();
  });

  it('opens on sign-in, and signing up creates the organisation and lands in chat', async () => {
    await page.goto(`${api}/`);
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page, 'sign-in');
    await capture(page, 'sign-in', true);

    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create your organisation' }).waitFor();
    await expectAccessible(page, 'sign-up');
    const signedUp = await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Olive Owner',
      email: ownerEmail,
      password: 'correct horse battery',
    });
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    // Billing would do this: the first organisation goes pro (the free plan has one token).
    const tenantId = signedUp.tenant.id;
    const plan = await serviceFetch(`${platform.url('tenant')}/internal/tenants/${tenantId}/plan`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'pro' }),
    });
    expect(plan.status).toBe(200);

    // The refresh token is an httpOnly cookie on the auth path only; script cannot read it.
    const cookies = await owner.cookies();
    const refresh = cookies.find((c) => c.name === 'parley_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(await page.evaluate('document.cookie')).toBe('');
    await expectAccessible(page, 'chat (empty)');
  });

  it('keeps the session across a reload without any token in storage', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
    );
    expect(stored).not.toMatch(/eyJ|refresh/i);
  });

  it('streams an answer that grows token by token, announces it, and stops on request', async () => {
    sim.when({ promptIncludes: 'slow-story' }, { text: 'word '.repeat(1000).trim(), tokenDelayMs: 50, times: 1 });
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    conversationUrl = page.url();
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('Tell me a slow-story please');
    await box.press('Enter');

    await page.getByRole('status').filter({ hasText: 'The assistant is answering.' }).waitFor();
    // Seen growing: three increasing lengths while the Stop button is still there.
    const lengths: number[] = [];
    for (const atLeast of [10, 60, 120]) {
      const length = await waitFor(
        async () => {
          const now = (await assistantTexts(page)).at(-1)?.length ?? 0;
          return now >= atLeast ? now : false;
        },
        { what: `an answer of ${atLeast} characters`, timeoutMs: 60_000 },
      );
      lengths.push(length);
      const still = await page.getByRole('button', { name: 'Stop' }).isVisible();
      expect(still, `still streaming at ${length}: …${(await assistantTexts(page)).at(-1)?.slice(-160)}`).toBe(true);
    }
    expect(lengths[1]).toBeGreaterThan(lengths[0] ?? 0);
    expect(lengths[2]).toBeGreaterThan(lengths[1] ?? 0);

    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'The answer was stopped.' }).waitFor();
    const stopped = (await assistantTexts(page)).at(-1) ?? '';
    expect(stopped.split('word').length - 1).toBeLessThan(1000);
    await page.getByRole('button', { name: 'Send' }).waitFor();
  });

  it('regenerates the last answer, and renders markdown without letting hostile HTML run', async () => {
    sim.when(
      { promptIncludes: 'hostile-test' },
      {
        text: [
          'Here **bold** and a table:',
          '',
          '| a | b |',
          '|---|---|',
          '| 1 | 2 |',
          '',
          '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>',
          '[click](javascript:window.__pwned=3)',
          '',
          '```js',
          'const answer = 42;',
          '```',
        ].join('\n'),
        times: 1,
      },
    );
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('hostile-test');
    await box.press('Enter');
    const last = page.getByRole('article', { name: 'Assistant' }).last();
    await last.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await last.locator('strong').textContent()).toBe('bold');
    expect(await last.locator('table td').first().textContent()).toBe('1');
    expect(await last.locator('code.hljs').textContent()).toContain('const answer = 42;');
    await last.getByRole('button', { name: 'Copy code' }).waitFor();
    expect(await last.locator('img, script').count()).toBe(0);
    expect(await last.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await last.getByText(/tokens · \$/).count()).toBe(1);

    // Regenerate replaces the last answer (the API deletes the earlier one).
    const before = (await assistantTexts(page)).length;
    await last.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByRole('article', { name: 'Assistant' }).last().getByText('Echo: hostile-test').waitFor();
    await page.getByRole('article', { name: 'Assistant' }).last().getByRole('button', { name: 'Regenerate' }).waitFor();
    expect((await assistantTexts(page)).length).toBe(before);
    await expectAccessible(page, 'chat (with answers)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'chat (with answers), dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await capture(page, 'chat', true);
  });

  it('offers the skills in a palette when typing /, and sends the chosen one', async () => {
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('/pal');
    const palette = page.getByRole('listbox', { name: 'Skills' });
    await palette.waitFor();
    const option = palette.getByRole('option', { name: /\/palette/ });
    await option.waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('/palette ');
    await box.pressSequentially('calm ocean');
    await box.press('Enter');
    await page.getByRole('article', { name: 'You' }).filter({ hasText: '/palette calm ocean' }).waitFor();
    const request = await sim.waitFor((r) => JSON.stringify(r.body).includes('calm ocean'));
    expect(JSON.stringify(request.body)).not.toContain('/palette calm ocean'); // the skill turned it into its prompt
    await page.getByRole('article', { name: 'Assistant' }).last().getByRole('button', { name: 'Regenerate' }).waitFor();
  });

  it('lists conversations newest first and deletes one', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL((url) => url.href !== conversationUrl && /\/c\//.test(url.pathname));
    const links = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link');
    await waitFor(async () => (await links.count()) === 2, { what: 'two conversations' });
    expect(await links.first().getAttribute('href')).toBe(new URL(page.url()).pathname);
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .getByRole('button', { name: /^Delete conversation/ })
      .first()
      .click();
    await waitFor(async () => (await links.count()) === 1, { what: 'one conversation left' });
    expect(await links.first().getAttribute('href')).toBe(new URL(conversationUrl).pathname);
  });

  let inviteToken = '';
  let apiKey = '';

  it('invites a member from the admin console; the mail carries the link', async () => {
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByRole('cell', { name: ownerEmail }).waitFor();
    await expectAccessible(page, 'admin members');
    await capture(page, 'admin-members');

    await page.getByRole('link', { name: 'Invites' }).click();
    await page.getByLabel('Email to invite').fill(memberEmail);
    await page.getByRole('button', { name: 'Send invite' }).click();
    await page.getByText(`Invite sent to ${memberEmail}.`).waitFor();
    await page.getByRole('cell', { name: memberEmail, exact: true }).waitFor();
    await expectAccessible(page, 'admin invites');

    await waitFor(() => mail.messages().some((m) => m.to.includes(memberEmail)), { what: 'the invite mail' });
    const text = mail.messages().find((m) => m.to.includes(memberEmail))?.text ?? '';
    inviteToken =
      new URL(/https?:\/\/\S+\/invite\?token=\S+/.exec(text)?.[0] ?? 'http://x/').searchParams.get('token') ?? '';
    expect(inviteToken.length).toBeGreaterThan(10);
  });

  it('creates an API key shown once, which works with a plain HTTP client', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel('New API key');
    await secret.waitFor();
    apiKey = (await secret.textContent()) ?? '';
    expect(apiKey).toMatch(/^pk_/);
    await page.getByRole('cell', { name: 'ci', exact: true }).waitFor();
    await expectAccessible(page, 'admin api keys');

    const res = await fetch(`${api}/api/v1/conversations`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
    // A reload shows the key's prefix, never the key.
    await page.reload();
    await page.getByRole('cell', { name: 'ci', exact: true }).waitFor();
    expect(await page.content()).not.toContain(apiKey);
    await capture(page, 'admin-api-keys');

    for (const section of ['Provider keys', 'Usage']) {
      await page.getByRole('link', { name: section, exact: true }).click();
      await page.getByRole('heading', { name: section }).waitFor();
      await expectAccessible(page, `admin ${section}`);
    }
  });

  it('keeps the organisation’s own provider key, shows only its last characters, and clears it', async () => {
    await page.getByRole('link', { name: 'Provider keys', exact: true }).click();
    const openai = page.getByRole('region', { name: 'OpenAI-compatible' });
    await openai.getByText('Using the platform’s provider.').waitFor();
    await openai.getByLabel('API key for OpenAI-compatible').fill('sk-web-console-1234');
    await openai.getByLabel('Model for OpenAI-compatible').fill('gpt-5-mini');
    await openai.getByRole('button', { name: 'Save' }).click();
    await openai.getByText('Key ending …1234').waitFor();
    // Saved where the API reads it; the key itself never comes back.
    await page.reload();
    await openai.getByText('Key ending …1234').waitFor();
    expect(await page.content()).not.toContain('sk-web-console-1234');
    await openai.getByRole('button', { name: 'Clear' }).click();
    await openai.getByText('Using the platform’s provider.').waitFor();
    expect(await page.getByRole('region', { name: 'Anthropic' }).getByRole('button', { name: 'Clear' }).count()).toBe(
      0,
    );
  });

  it('the invited member accepts in another browser and sees no admin console', async () => {
    const context = await chromium.browser.newContext();
    const member = await newPage(context);
    await member.goto(`${api}/invite?token=${encodeURIComponent(inviteToken)}`);
    await member.getByRole('heading', { name: 'Join your team on Parley' }).waitFor();
    await expectAccessible(member, 'accept invite');
    await member.getByLabel('Your name').fill('Max Member');
    await member.getByLabel('Password').fill('another good password');
    await member.getByRole('button', { name: 'Accept invitation' }).click();
    await member.getByRole('button', { name: 'New chat' }).waitFor();
    expect(await member.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    // Nor the owner's conversations.
    expect(await member.getByRole('navigation', { name: 'Conversations' }).getByRole('link').count()).toBe(0);
    await member.goto(`${api}/admin/members`);
    await member.getByText('This page does not exist.').waitFor();
    expect(await member.getByRole('cell', { name: ownerEmail }).count()).toBe(0);
    await context.close();
  });

  it('another organisation sees none of the first one’s conversations, and meets its quota in words', async () => {
    const context = await chromium.browser.newContext();
    const other = await newPage(context);
    const otherSlug = `${slug}-b`;
    await other.goto(`${api}/sign-up`);
    const signedUp = await submitSignUp(other, {
      organisation: 'Other org',
      slug: otherSlug,
      name: 'Oscar Other',
      email: `owner@${otherSlug}.test`,
      password: 'correct horse battery',
    });
    const { accessToken } = signedUp;
    await other
      .getByRole('navigation', { name: 'Conversations' })
      .getByText('No conversations yet. Start one.')
      .waitFor();
    await other.goto(conversationUrl);
    await other.getByRole('alert').filter({ hasText: 'Not found.' }).waitFor();
    expect(await other.getByRole('article').count()).toBe(0);
    await other.getByRole('link', { name: 'Admin' }).click();
    await other.getByRole('heading', { name: 'Members' }).waitFor();
    await other.getByRole('cell', { name: `owner@${otherSlug}.test` }).waitFor();
    expect(await other.getByRole('cell', { name: ownerEmail }).count()).toBe(0);

    // On the free plan (one token a month): one answer, then the quota, said in words.
    await other.getByRole('link', { name: 'Chat' }).click();
    await other.getByRole('button', { name: 'New chat' }).click();
    await other.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    const box = other.getByRole('combobox', { name: 'Message' });
    await box.fill('first question');
    await box.press('Enter');
    await other
      .getByRole('article', { name: 'Assistant' })
      .last()
      .getByRole('button', { name: 'Regenerate' })
      .waitFor();
    await waitFor(
      async () => {
        const quota = await fetch(`${api}/api/v1/chat/quota`, { headers: { authorization: `Bearer ${accessToken}` } });
        return ((await quota.json()) as { tokensUsed: number }).tokensUsed >= 1;
      },
      { what: 'the first answer counted against the quota' },
    );
    await box.fill('second question');
    await box.press('Enter');
    await other
      .getByRole('alert')
      .filter({ hasText: 'Your organisation has used its tokens for this month.' })
      .waitFor();
    await context.close();
  });

  it('switches to Chinese with every label from the catalogue', async () => {
    await page.goto(`${api}/`);
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('button', { name: '新对话' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await expectAccessible(page, 'chat in Chinese');
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('button', { name: 'New chat' }).waitFor();
  });

  it('signs out, after which the refresh cookie no longer works', async () => {
    const cookie = (await owner.cookies()).find((c) => c.name === 'parley_refresh')?.value ?? '';
    expect(cookie).not.toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    expect((await owner.cookies()).find((c) => c.name === 'parley_refresh')).toBeUndefined();
    const res = await fetch(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-parley-session': 'cookie', cookie: `parley_refresh=${cookie}` },
      body: '{}',
    });
    expect(res.status).toBe(401);
    // And a reload stays signed out.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
  });

  it('ran under the strict Content-Security-Policy without a single refusal', () => {
    expect(cspViolations).toEqual([]);
  });
});
