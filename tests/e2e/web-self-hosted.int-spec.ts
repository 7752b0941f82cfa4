import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmSimulator, PlatformProcesses, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser } from './support/browser';
import { startSelfHostedChat } from './support/self-hosted-chat';

/**
 * Self-hosted with login switched off (AUTH_REQUIRED=false): the web app opens straight into chat,
 * with no sign-in page, no sign-out and no admin console, and answers stream over the WebSocket.
 */
describe('the web app, self-hosted with login off', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;

  beforeAll(async () => {
    chromium = await launchChromium();
    sim = await LlmSimulator.start();
    platform = await startSelfHostedChat({
      OPENAI_BASE_URL: sim.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-self-hosted-test',
      OPENAI_MODEL: 'gpt-4.1-mini',
    });
    api = platform.url('gateway');
  }, 180_000);

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await sim?.close();
  });

  it('opens into chat without signing in, and answers', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    expect(new URL(page.url()).pathname).not.toBe('/sign-in');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('hello from the living room');
    await box.press('Enter');
    const answer = page.getByRole('article', { name: 'Assistant' }).last();
    await answer.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await answer.locator('.markdown').textContent()).toContain('Echo: hello from the living room');
    expect(await page.getByRole('status').filter({ hasText: 'The answer is complete.' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Sign-in pages lead back into chat: there is no one to sign in as.
    await page.goto(`${api}/sign-in`);
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    await context.close();
  });

  it('streams over Server-Sent Events when the WebSocket cannot be opened', async () => {
    const context = await chromium.browser.newContext();
    // Every WebSocket to /ws is refused before it opens (as a proxy without upgrade support would).
    await context.routeWebSocket(/\/ws$/, (ws) => ws.close({ code: 1011, reason: 'no upgrade here' }));
    const page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('over plain http');
    await box.press('Enter');
    const answer = page.getByRole('article', { name: 'Assistant' }).last();
    await answer.getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await answer.locator('.markdown').textContent()).toContain('Echo: over plain http');
    await page.getByText('Live connection unavailable; answers stream over HTTP.').waitFor();
    await context.close();
  });

  it('says so when the connection drops mid-answer, reconnects, and shows the answer that went on being written', async () => {
    sim.when({ promptIncludes: 'drop-me' }, { text: 'piece '.repeat(200).trim(), tokenDelayMs: 40, times: 1 });
    const context = await chromium.browser.newContext();
    let sockets = 0;
    // The first socket is cut from the page's side after the first token; later ones pass through.
    await context.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      if (++sockets > 1) return;
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        ws.send(message);
        if (typeof message === 'string' && message.includes('"type":"token"')) {
          // Both ends go, as when a network drops: the gateway sees its client leave; the answer goes on.
          void server.close();
          void ws.close({ code: 1006 });
        }
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('please drop-me');
    await box.press('Enter');
    await page.getByText('Connection lost. Reconnecting…').first().waitFor();
    // Reconnected: the notice goes, the stored exchange is shown, and the next question works.
    await waitFor(async () => sockets >= 2 && (await page.getByText('Connection lost. Reconnecting…').count()) === 0, {
      what: 'the reconnect',
      timeoutMs: 45_000,
    });
    await page.getByRole('article', { name: 'You' }).filter({ hasText: 'please drop-me' }).waitFor();
    // The answer was not lost with the connection: it is followed as it is stored, to its end.
    const dropped = page.getByRole('article', { name: 'Assistant' }).filter({ hasText: 'piece' });
    await waitFor(async () => ((await dropped.textContent()) ?? '').split('piece').length - 1 === 200, {
      what: 'the whole answer, written on after the drop',
      timeoutMs: 45_000,
    });
    expect(await dropped.getByText('Stopped').count()).toBe(0);
    await box.fill('after the drop');
    await box.press('Enter');
    const answer = page.getByRole('article', { name: 'Assistant' }).last();
    await answer.getByText('Echo: after the drop').waitFor();
    await context.close();
  });
});
