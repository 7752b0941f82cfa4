import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmSimulator, PlatformProcesses, Speech, sttEngineEnv, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';

/**
 * Dictation in the web app, in a real Chromium whose microphone plays a WAV of espeak-ng speech
 * (`--use-fake-device-for-media-stream --use-file-for-fake-audio-capture`), against the real
 * platform (gateway serving the build, auth, tenant, chat-orchestrator, stt with faster-whisper):
 * hands-free dictation puts the spoken sentence in the message box; a page without microphone
 * permission says so.
 */
describe('the web app: the microphone in the message box', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let chromium: RunningBrowser;
  let api: string;
  const slug = `webstt-${randomUUID().slice(0, 8)}`;

  const newPage = async (browser: Browser, microphone: boolean): Promise<Page> => {
    const context = await browser.newContext();
    if (microphone) await context.grantPermissions(['microphone'], { origin: api });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
    return page;
  };

  beforeAll(async () => {
    const engine = await sttEngineEnv();
    const speech = await Speech.folder();
    // The fake microphone loops the file: a sentence, then two seconds of silence (the endpoint).
    const wav = await speech.concat('mic', [
      await speech.say('sentence', 'The quick brown fox jumps over the lazy dog.'),
      await speech.silence('pause', 2),
    ]);
    chromium = await launchChromium(['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`]);
    sim = await LlmSimulator.start();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'stt', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'openai',
          OPENAI_BASE_URL: sim.openaiBaseUrl,
          OPENAI_API_KEY: 'sk-sim',
          OPENAI_MODEL: 'gpt-sim-mini',
        },
        stt: { ...engine, STT_WORKERS: '1', STT_CPU_THREADS: '1' },
      },
    });
    api = platform.url('gateway');
    await waitFor(async () => (await fetch(`${platform.url('stt')}/health/ready`)).status === 200, {
      timeoutMs: 120_000,
      what: 'stt ready',
    });
  }, 600_000);

  afterAll(async () => {
    await chromium?.close();
    await platform?.stop();
    await sim?.close();
  });

  it('speaks a sentence into the hands-free microphone and the text appears in the message box', async () => {
    const page = await newPage(chromium.browser, true);
    await page.goto(`${api}/sign-up`);
    await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Dee Dictates',
      email: `owner@${slug}.test`,
      password: 'correct horse battery',
    });
    await page.getByRole('button', { name: 'New chat' }).click();
    const box = page.getByRole('combobox', { name: 'Message' });
    await box.fill('Dictated:');
    await page.getByRole('button', { name: 'Dictate hands-free' }).click();
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    await waitFor(async () => /lazy dog/i.test(await box.inputValue()), {
      timeoutMs: 60_000,
      what: 'the dictated sentence in the message box',
    });
    expect(await box.inputValue()).toMatch(/^Dictated: .*fox.*lazy dog/i);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Stop dictation' }).click();
    await page.getByRole('button', { name: 'Dictate hands-free' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('article', { name: 'You' })
      .filter({ hasText: /lazy dog/i })
      .waitFor();
  });

  it('the owner sets audio retention in the admin console, and a loopback speech upstream is refused (cloud egress)', async () => {
    const page = await newPage(chromium.browser, false);
    await page.goto(`${api}/sign-in`);
    await page.getByLabel('Email').fill(`owner@${slug}.test`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    await page.goto(`${api}/admin/speech`);
    await page.getByRole('heading', { name: 'Speech', exact: true }).waitFor();
    await page.getByText('Audio is never stored.').waitFor();
    await page.getByLabel('Keep uploaded audio').check();
    await page.getByLabel('Days to keep it').fill('7');
    const retention = page.getByRole('region', { name: 'Audio retention' });
    await retention.getByRole('button', { name: 'Save' }).click();
    await retention.getByText('0 uploads kept.').waitFor();
    await page.reload();
    // The settings are read after the page draws: wait for them before reading the form.
    await retention.getByText('0 uploads kept.').waitFor();
    await page.getByLabel('Keep uploaded audio').and(page.locator(':checked')).waitFor();
    await expect(page.getByLabel('Keep uploaded audio').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Days to keep it').inputValue()).resolves.toBe('7');

    const uploads = page.getByRole('region', { name: 'Uploads (OpenAI-compatible)' });
    await uploads.getByLabel('API key for Uploads (OpenAI-compatible)').fill('sk-console-test-0000');
    await uploads.getByLabel('Model for Uploads (OpenAI-compatible)').fill('whisper-1');
    await uploads.getByLabel('Base URL for Uploads (OpenAI-compatible) (optional)').fill('https://127.0.0.1:9/v1');
    await uploads.getByRole('button', { name: 'Save' }).click();
    await uploads.getByRole('alert').filter({ hasText: 'Parley may not call this address' }).waitFor();
    expect(await uploads.getByText('Using the platform’s speech engine.').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('says plainly when microphone permission is denied', async () => {
    const page = await newPage(chromium.browser, false);
    await page.goto(`${api}/sign-in`);
    await page.getByLabel('Email').fill(`owner@${slug}.test`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('button', { name: 'Dictate hands-free' }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'Microphone access was denied' }).textContent(),
    ).resolves.toMatch(/Allow it in the browser/);
  });
});
