import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LlmSimulator, PlatformProcesses, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { capture } from './support/screenshots';
import { SmtpSinkProcess } from './support/smtp-sink-process';

/**
 * Usage analytics and the audit log in a real browser against the real platform (gateway serving
 * the build, auth, tenant, chat-orchestrator, analytics; LLM simulator; SMTP sink): chat traffic of
 * an owner and a member reaches the analytics service over Kafka; the owner sees the organisation's
 * dashboard (uPlot chart) and the audit log (invite and join, filtered, exported as CSV); the member
 * sees only their own usage and no admin console.
 */
describe('the web app: usage dashboard, my usage and the audit log', () => {
  let sim: LlmSimulator;
  let mail: SmtpSinkProcess;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  let owner: Page;
  let member: Page;
  const slug = `weba-${randomUUID().slice(0, 8)}`;
  const memberEmail = `member@${slug}.test`;
  const password = 'correct horse battery';

  const newPage = async (browser: Browser) => {
    const p = await (await browser.newContext({ acceptDownloads: true })).newPage();
    p.setDefaultTimeout(45_000);
    p.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
    return p;
  };
  const ask = async (p: Page, text: string) => {
    const before = p.url();
    await p.getByRole('button', { name: 'New chat' }).click();
    await p.waitForURL((url) => url.href !== before && /\/c\/[0-9a-f-]{36}$/.test(url.pathname));
    const box = p.getByRole('combobox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await p.getByRole('article', { name: 'Assistant' }).last().getByRole('button', { name: 'Regenerate' }).waitFor();
  };
  /** The value shown for a total (the `<dd>` of its `<dt>` in the "Totals" list). */
  const total = (p: Page, label: string) =>
    p
      .getByLabel('Totals')
      .locator('div', { has: p.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
      .getByRole('definition')
      .textContent();
  const untilTotal = (p: Page, label: string, value: string) =>
    waitFor(
      async () => {
        await p.reload();
        await p.getByLabel('Totals').waitFor();
        return (await total(p, label)) === value ? true : undefined;
      },
      { what: `${label} = ${value}`, timeoutMs: 60_000, intervalMs: 1_000 },
    );

  beforeAll(async () => {
    chromium = await launchChromium();
    sim = await LlmSimulator.start();
    mail = await SmtpSinkProcess.start(await freePort());
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'analytics', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        tenant: { PLAN_FREE_TOKENS_PER_MONTH: '100000000', PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        auth: { TRUST_PROXY_HOPS: '1', SMTP_URL: `smtp://127.0.0.1:${mail.port}` },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'openai',
          OPENAI_BASE_URL: sim.openaiBaseUrl,
          OPENAI_API_KEY: 'sk-sim',
          OPENAI_MODEL: 'gpt-sim-mini',
          CHAT_PROVIDER_MAX_RETRIES: '0',
        },
      },
    });
    api = platform.url('gateway');
    owner = await newPage(chromium.browser);
  });

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await mail?.stop();
    await sim?.close();
  });

  it('an owner and an invited member chat', async () => {
    await owner.goto(`${api}/sign-up`);
    await submitSignUp(owner, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Olive Owner',
      email: `owner@${slug}.test`,
      password: password,
    });
    await ask(owner, 'where do flamingos sleep');

    await owner.getByRole('link', { name: 'Admin' }).click();
    await owner.getByRole('link', { name: 'Invites' }).click();
    await owner.getByLabel('Email to invite').fill(memberEmail);
    await owner.getByRole('button', { name: 'Send invite' }).click();
    await waitFor(() => mail.messages().some((m) => m.to.includes(memberEmail)), { what: 'the invite mail' });
    const text = mail.messages().find((m) => m.to.includes(memberEmail))?.text ?? '';
    const token = new URL(/https?:\/\/\S+\/invite\?token=\S+/.exec(text)?.[0] ?? 'http://x/').searchParams.get('token');
    member = await newPage(chromium.browser);
    await member.goto(`${api}/invite?token=${encodeURIComponent(token ?? '')}`);
    await member.getByLabel('Your name').fill('Max Member');
    await member.getByLabel('Password').fill(password);
    await member.getByRole('button', { name: 'Accept invitation' }).click();
    await ask(member, 'a question about tea');
  });

  it('the owner sees the organisation: totals, a chart per day and a row per member', async () => {
    await owner.getByRole('link', { name: 'Admin' }).click();
    await owner.getByRole('link', { name: 'Usage analytics' }).click();
    await untilTotal(owner, 'Messages', '2');
    expect(await owner.getByText('The whole organisation.').count()).toBe(1);
    expect(await total(owner, 'Conversations')).toBe('2');
    expect(await total(owner, 'Messages: web app / API')).toBe('2 / 0');
    const chart = owner.getByRole('img', { name: 'Messages and active people per day' });
    await chart.locator('canvas').waitFor();
    expect(await seriousA11yViolations(owner), 'usage dashboard').toEqual([]);
    await capture(owner, 'analytics-dashboard');
    await owner.getByLabel('Group by').selectOption('member');
    const byMember = owner.getByRole('table', { name: 'Member' });
    await byMember.waitFor();
    expect(await byMember.getByRole('row').count()).toBe(3); // header + owner + member
  });

  it('the member sees only their own usage, and has no admin console', async () => {
    await member.getByRole('link', { name: 'My usage' }).click();
    await untilTotal(member, 'Messages', '1');
    expect(await member.getByText('Your own usage only.').count()).toBe(1);
    expect(await member.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await seriousA11yViolations(member), 'my usage').toEqual([]);
  });

  it('the owner reads the audit log, filters it and exports it as CSV', async () => {
    await owner.getByRole('link', { name: 'Audit log' }).click();
    const table = owner.getByRole('table', { name: 'Audit log' });
    await waitFor(
      async () => {
        await owner.reload();
        await owner.getByRole('heading', { name: 'Audit log' }).waitFor();
        const rows = await table
          .getByRole('row')
          .allTextContents()
          .catch(() => []);
        return rows.some((r) => r.includes('invite.created')) && rows.some((r) => r.includes('member.added'))
          ? true
          : undefined;
      },
      { what: 'invite and join in the audit log', timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect(await seriousA11yViolations(owner), 'audit log').toEqual([]);
    await capture(owner, 'audit-log');
    await owner.getByLabel('Action').selectOption('member.added');
    await waitFor(async () => ((await table.getByRole('row').count()) === 2 ? true : undefined), {
      what: 'one member.added row',
    });
    expect(await table.getByRole('row').nth(1).textContent()).toContain('member.added');
    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      owner.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toMatch(/^seq,occurredAt,actorKind,actorId,action,/);
    expect(csv.slice(1).map((line) => line.split(',')[4])).toEqual(['member.added']);
  });
});
