import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LlmSimulator, PlatformProcesses, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { capture } from './support/screenshots';
import { SmtpSinkProcess } from './support/smtp-sink-process';

/**
 * The chat features of the web app in a real browser against the real platform (gateway serving the
 * build, auth, tenant, chat-orchestrator; LLM simulator behind two global providers; SMTP sink):
 * Ctrl+K search, rename and pin, regenerate replacing the answer, edit-and-resend, thumbs with a
 * comment, the model picker, the skills page (a member's refusal to publish shown in words), and a
 * second tab following an answer that is still being generated.
 */
describe('the web app: search, rename/pin, feedback, regenerate, resend, models, skills', () => {
  let sim: LlmSimulator;
  let mail: SmtpSinkProcess;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  let page: Page;
  const slug = `webf-${randomUUID().slice(0, 8)}`;
  const ownerEmail = `owner@${slug}.test`;
  const memberEmail = `member@${slug}.test`;
  const password = 'correct horse battery';
  let firstUrl = '';

  const newPage = async (browser: Browser) => {
    const p = await (await browser.newContext()).newPage();
    p.setDefaultTimeout(45_000);
    p.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
    return p;
  };
  const expectAccessible = async (p: Page, what: string) => {
    expect(await seriousA11yViolations(p), what).toEqual([]);
  };
  const answers = (p: Page) => p.getByRole('article', { name: 'Assistant' });
  const questions = (p: Page) => p.getByRole('article', { name: 'You' });
  const conversationLinks = (p: Page) => p.getByRole('navigation', { name: 'Conversations' }).getByRole('link');
  const ask = async (p: Page, text: string) => {
    const box = p.getByRole('combobox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await answers(p).last().getByRole('button', { name: 'Regenerate' }).waitFor();
  };
  const newChat = async (p: Page) => {
    const before = p.url();
    await p.getByRole('button', { name: 'New chat' }).click();
    await p.waitForURL((url) => url.href !== before && /\/c\/[0-9a-f-]{36}$/.test(url.pathname));
  };

  beforeAll(async () => {
    chromium = await launchChromium();
    sim = await LlmSimulator.start();
    mail = await SmtpSinkProcess.start(await freePort());
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        tenant: { PLAN_FREE_TOKENS_PER_MONTH: '100000000', PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        auth: { TRUST_PROXY_HOPS: '1', SMTP_URL: `smtp://127.0.0.1:${mail.port}` },
        'chat-orchestrator': {
          // Two global providers: the model picker offers both models.
          CHAT_PROVIDER_CHAIN: 'anthropic,openai',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
          OPENAI_BASE_URL: sim.openaiBaseUrl,
          OPENAI_API_KEY: 'sk-sim',
          OPENAI_MODEL: 'gpt-sim-mini',
          CHAT_PROVIDER_MAX_RETRIES: '0',
        },
      },
    });
    api = platform.url('gateway');
    page = await newPage(chromium.browser);
  });

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await mail?.stop();
    await sim?.close();
  });

  it('signs up and holds two conversations', async () => {
    await page.goto(`${api}/sign-up`);
    await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Olive Owner',
      email: ownerEmail,
      password: password,
    });
    await newChat(page);
    firstUrl = page.url();
    await ask(page, 'where do flamingos sleep');
    await newChat(page);
    await ask(page, 'a question about tea');
    await waitFor(async () => (await conversationLinks(page).count()) === 2, { what: 'two conversations' });
  });

  it('Ctrl+K opens the search; it finds the conversation with the word highlighted and opens it', async () => {
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search conversations' });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: 'Search your conversations and messages' }).fill('flamingos');
    const hit = dialog.getByRole('option').first();
    await hit.waitFor();
    expect(await dialog.getByRole('option').count()).toBe(1);
    expect(await hit.locator('mark').first().textContent()).toBe('flamingos');
    await expectAccessible(page, 'search dialog');
    await page.keyboard.press('Enter');
    await page.waitForURL(firstUrl);
    await dialog.waitFor({ state: 'hidden' });
    await questions(page).filter({ hasText: 'where do flamingos sleep' }).waitFor();

    await page.getByRole('button', { name: 'Search (Ctrl+K)' }).click();
    await dialog.getByRole('combobox').fill('nosuchwordanywhere');
    await dialog.getByText('Nothing matches.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('renames a conversation (it moves up: a new title is activity) and pins the other one first', async () => {
    // The older conversation is the second in the list (newest first).
    await page
      .getByRole('button', { name: /^Rename conversation/ })
      .nth(1)
      .click();
    await page.getByLabel('New title').fill('Flamingo facts');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitFor(async () => (await conversationLinks(page).first().textContent()) === 'Flamingo facts', {
      what: 'the renamed conversation first',
    });

    await page
      .getByRole('button', { name: /^Pin conversation/ })
      .nth(1)
      .click();
    await waitFor(async () => ((await conversationLinks(page).first().textContent()) ?? '').startsWith('Pinned:'), {
      what: 'the pinned conversation first',
    });
    await page.reload();
    await page.getByRole('button', { name: /^Unpin conversation/ }).waitFor();
    expect(await conversationLinks(page).allTextContents()).toEqual(['Pinned: New conversation', 'Flamingo facts']);
    await expectAccessible(page, 'chat with a pinned conversation');
  });

  it('regenerate replaces the last answer; edit-and-resend replaces the last question and its answer', async () => {
    await page.goto(firstUrl);
    sim.when({ promptIncludes: 'color of the sky' }, { text: 'first version', times: 1 });
    await ask(page, 'what is the color of the sky');
    await answers(page).last().getByText('first version').waitFor();
    const before = await answers(page).count();
    await answers(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await answers(page).last().getByText('Echo: what is the color of the sky').waitFor();
    await answers(page).last().getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await answers(page).count()).toBe(before);
    expect(await answers(page).filter({ hasText: 'first version' }).count()).toBe(0);
    expect(
      await answers(page)
        .last()
        .getByText(/tokens · \$/)
        .count(),
    ).toBe(1);

    const asked = await questions(page).count();
    // The list may refresh once more after the regenerated answer is stored, closing an open edit
    // form: open it again (at most three times) rather than wait on a detached button.
    for (let attempt = 1; ; attempt++) {
      try {
        await questions(page).last().getByRole('button', { name: 'Edit' }).click({ timeout: 15_000 });
        await page.getByLabel('Edit your question').fill('what is the color of the sea', { timeout: 15_000 });
        await page.getByRole('button', { name: 'Save and send' }).click({ timeout: 15_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    await answers(page).last().getByText('Echo: what is the color of the sea').waitFor();
    await answers(page).last().getByRole('button', { name: 'Regenerate' }).waitFor();
    await page.reload();
    await answers(page).last().getByText('Echo: what is the color of the sea').waitFor();
    expect(await questions(page).count()).toBe(asked);
    expect(await questions(page).filter({ hasText: 'color of the sky' }).count()).toBe(0);
    expect(await answers(page).count()).toBe(before);
  });

  it('takes a thumbs down with a comment on an answer, kept after a reload', async () => {
    const last = answers(page).last();
    await last.getByRole('button', { name: 'Bad answer' }).click();
    await last.getByLabel('Tell us more (optional)').fill('too short');
    await last.getByRole('button', { name: 'Send feedback' }).click();
    await last.getByText('Thanks for the feedback.').waitFor();
    expect(await last.getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'chat with feedback');
    await page.reload();
    const again = answers(page).last();
    await again.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await again.getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed')).toBe('true');
    expect(await again.getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('sends the model chosen in the picker with the message', async () => {
    const picker = page.getByRole('combobox', { name: 'Model' });
    await picker.getByRole('option', { name: 'gpt-sim-mini' }).waitFor({ state: 'attached' });
    await picker.selectOption('gpt-sim-mini');
    await ask(page, 'which model-pick answers');
    const request = sim.requests.findLast((r) => r.prompt.includes('which model-pick answers'));
    expect(request?.model).toBe('gpt-sim-mini');
    await answers(page).last().getByText('Model: gpt-sim-mini').waitFor();
    await picker.selectOption('');
  });

  it('creates, edits and deletes a skill on the skills page, and uses it from the palette', async () => {
    await page.getByRole('link', { name: 'Skills' }).click();
    await page.getByRole('heading', { name: 'Skills' }).waitFor();
    await page.getByRole('listitem', { name: '/doc' }).waitFor();
    const form = page.getByRole('form', { name: 'Create skill' });
    await form.getByLabel('Skill name').fill('Haiku');
    await form.getByLabel('Command').fill('/haiku');
    await form.getByLabel('Instructions (system prompt)').fill('Answer as a haiku about {{input}}.');
    await form.getByRole('button', { name: 'Create skill' }).click();
    await page.getByText('Skill /haiku created.').waitFor();
    const row = page.getByRole('listitem', { name: '/haiku' });
    await row.getByText('Only me').waitFor();
    await expectAccessible(page, 'skills page');

    await row.getByRole('button', { name: 'Edit /haiku' }).click();
    const edit = page.getByRole('form', { name: 'Edit skill Haiku' });
    await edit.getByLabel('Description (optional)').fill('Short poems');
    await edit.getByLabel('Who can use it').selectOption('tenant');
    await edit.getByRole('button', { name: 'Save skill' }).click();
    await page.getByText('Skill /haiku saved.').waitFor();
    await row.getByText('Everyone in the organisation').waitFor();
    await row.getByText('Short poems').waitFor();
    await capture(page, 'skills');

    // The same command twice is refused in words.
    await form.getByLabel('Skill name').fill('Other');
    await form.getByLabel('Command').fill('/haiku');
    await form.getByLabel('Instructions (system prompt)').fill('x');
    await form.getByRole('button', { name: 'Create skill' }).click();
    await page.getByRole('alert').filter({ hasText: 'This command is already taken.' }).waitFor();

    await page.getByRole('link', { name: 'Chat' }).click();
    await newChat(page);
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('/hai');
    await page
      .getByRole('listbox', { name: 'Skills' })
      .getByRole('option', { name: /\/haiku/ })
      .waitFor();
    await box.fill('');

    await page.getByRole('link', { name: 'Skills' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('listitem', { name: '/haiku' }).getByRole('button', { name: 'Delete /haiku' }).click();
    await page.getByText('Skill /haiku deleted.').waitFor();
    await page.getByRole('listitem', { name: '/haiku' }).waitFor({ state: 'detached' });
  });

  it('a member cannot publish a skill to the organisation: the refusal is shown in words', async () => {
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Invites' }).click();
    await page.getByLabel('Email to invite').fill(memberEmail);
    await page.getByRole('button', { name: 'Send invite' }).click();
    await waitFor(() => mail.messages().some((m) => m.to.includes(memberEmail)), { what: 'the invite mail' });
    const text = mail.messages().find((m) => m.to.includes(memberEmail))?.text ?? '';
    const link = /https?:\/\/\S+\/invite\?token=\S+/.exec(text)?.[0] ?? 'http://x/';
    const token = new URL(link).searchParams.get('token') ?? '';

    const member = await newPage(chromium.browser);
    await member.goto(`${api}/invite?token=${encodeURIComponent(token)}`);
    await member.getByLabel('Your name').fill('Max Member');
    await member.getByLabel('Password').fill(password);
    await member.getByRole('button', { name: 'Accept invitation' }).click();
    await member.getByRole('button', { name: 'New chat' }).waitFor();
    await member.getByRole('link', { name: 'Skills' }).click();
    const form = member.getByRole('form', { name: 'Create skill' });
    await form.getByLabel('Skill name').fill('Team');
    await form.getByLabel('Command').fill('/team');
    await form.getByLabel('Instructions (system prompt)').fill('Be brief.');
    await form.getByLabel('Who can use it').selectOption('tenant');
    await form.getByRole('button', { name: 'Create skill' }).click();
    await member.getByRole('alert').filter({ hasText: 'You are not allowed to do this.' }).waitFor();
    expect(await member.getByRole('listitem', { name: '/team' }).count()).toBe(0);
    // Private is theirs to make.
    await form.getByLabel('Who can use it').selectOption('private');
    await form.getByRole('button', { name: 'Create skill' }).click();
    await member.getByText('Skill /team created.').waitFor();
    await member.context().close();
  });

  it('a second tab follows an answer that is still being generated until it is stored', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    await newChat(page);
    const url = page.url();
    sim.when({ promptIncludes: 'long-running' }, { text: 'slowly '.repeat(60).trim(), tokenDelayMs: 50, times: 1 });
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('a long-running answer');
    await box.press('Enter');
    await page.getByRole('button', { name: 'Stop' }).waitFor();

    // A second tab of the same browser (same session cookie), opened mid-answer.
    const other = await page.context().newPage();
    other.setDefaultTimeout(45_000);
    await other.goto(url);
    // The stored answer is still being generated: shown busy, and reloaded until it ends.
    await answers(other).and(other.locator('[aria-busy="true"]')).waitFor();
    await other.getByText('An answer is still being written here; it appears when it is stored.').waitFor();
    await answers(other).last().getByRole('button', { name: 'Regenerate' }).waitFor({ timeout: 60_000 });
    expect(await answers(other).last().textContent()).toContain('slowly slowly');
    await other.close();
  });

  it('a person in two organisations switches between them; the organisation settings page shows the current one', async () => {
    // A second organisation invites the owner's existing account.
    const otherSlug = `webf2-${randomUUID().slice(0, 8)}`;
    const other = await newPage(chromium.browser);
    await other.goto(`${api}/sign-up`);
    await submitSignUp(other, {
      organisation: `Org ${otherSlug}`,
      slug: otherSlug,
      name: 'Otto Other',
      email: `owner@${otherSlug}.test`,
      password: password,
    });
    await other.getByRole('link', { name: 'Admin' }).click();
    await other.getByRole('link', { name: 'Invites' }).click();
    await other.getByLabel('Email to invite').fill(ownerEmail);
    await other.getByRole('button', { name: 'Send invite' }).click();
    await waitFor(() => mail.messages().some((m) => m.to.includes(ownerEmail)), { what: 'the invite mail' });
    const text = mail.messages().find((m) => m.to.includes(ownerEmail))?.text ?? '';
    const link = /https?:\/\/\S+\/invite\?token=\S+/.exec(text)?.[0] ?? 'http://x/';
    await other.context().close();

    // Accepting with the existing password opens a session in the new organisation, as a member.
    await page.goto(`${api}/invite?token=${encodeURIComponent(new URL(link).searchParams.get('token') ?? '')}`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    const switcher = page.getByRole('combobox', { name: 'Organisation' });
    await switcher.waitFor();
    expect(await switcher.inputValue()).toBe(otherSlug);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await conversationLinks(page).count()).toBe(0);
    await expectAccessible(page, 'chat with the organisation switcher');

    // Back to the first: its conversations and the admin console return.
    await switcher.selectOption(slug);
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    await conversationLinks(page).filter({ hasText: 'Flamingo facts' }).waitFor();
    expect(await switcher.inputValue()).toBe(slug);
    // The cookie now holds the new session (the old one was signed out): a reload stays here.
    await page.reload();
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    expect(await switcher.inputValue()).toBe(slug);

    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Organisation settings' }).click();
    await page.getByRole('heading', { name: 'Organisation settings' }).waitFor();
    const main = page.getByRole('main');
    await main.getByText(`Org ${slug}`, { exact: true }).waitFor();
    await main.getByText(slug, { exact: true }).waitFor();
    await expectAccessible(page, 'organisation settings');
  });
});
