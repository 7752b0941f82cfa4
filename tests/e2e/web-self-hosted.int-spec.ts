import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmSimulator, PlatformProcesses } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser } from './support/browser';

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
    platform = await PlatformProcesses.start({
      services: ['tenant', 'chat-orchestrator', 'gateway'],
      env: { DEPLOYMENT_MODE: 'self-hosted' },
      serviceEnv: {
        'chat-orchestrator': {
          OPENAI_BASE_URL: sim.openaiBaseUrl,
          OPENAI_API_KEY: 'sk-self-hosted-test',
          OPENAI_MODEL: 'gpt-4.1-mini',
          CHAT_PROVIDER_CHAIN: 'openai',
        },
        gateway: (urls) => ({
          AUTH_REQUIRED: 'false',
          TENANT_SERVICE_URL: urls.tenant,
          CHAT_SERVICE_URL: urls['chat-orchestrator'],
        }),
      },
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
});
