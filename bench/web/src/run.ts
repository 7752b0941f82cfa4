/**
 * The web app itself, in headless Chromium on loopback against the self-hosted platform with login
 * off (tenant, chat-orchestrator, gateway as processes, as the browser tests start them; the LLM
 * simulator as the provider):
 * - the JavaScript of the first route, gzipped (what index.html loads; and all the scripts `/` pulls in);
 * - first contentful paint of a cold load of `/`;
 * - time to first token rendered (Enter → the first answer text painted) against the API's own time to
 *   first token (`POST …/messages` over SSE from Node), interleaved in the same run, for a provider
 *   answering at once and one taking 300 ms to its first token.
 * Writes docs/benchmarks/web.{md,json}.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ensureInfra, LlmSimulator, PlatformProcesses, summarize } from '@parley/testing';
import { apiTimeToFirstToken, coldLoad, scriptsOfFirstRoute, timeToFirstTokenRendered } from './browser-timings';
import { writeReport, type WebBenchResult } from './report';

const ROOT = resolve(__dirname, '../../..');
const DIST = join(ROOT, 'services/web/dist');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
const PROVIDER_FIRST_TOKEN_MS = [0, 300];

const gzipped = (paths: string[]) => paths.reduce((sum, p) => sum + gzipSync(readFileSync(join(DIST, p))).length, 0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chromium: { type: 'string' }, runs: { type: 'string' } } });
  if (!values.chromium) throw new Error('--chromium <path> is required (bash bench/web/run.sh finds it)');
  const runs = Number(values.runs ?? 15);
  const sim = await LlmSimulator.start();
  sim.when({ promptIncludes: 'first-token-300' }, { firstTokenDelayMs: 300, text: 'A short answer for the bench.' });
  sim.when({ promptIncludes: 'first-token-0' }, { text: 'A short answer for the bench.' });
  const platform = await PlatformProcesses.start({
    infra: ensureInfra(),
    services: ['tenant', 'chat-orchestrator', 'gateway'],
    env: { DEPLOYMENT_MODE: 'self-hosted', LOG_LEVEL: 'error' },
    serviceEnv: {
      'chat-orchestrator': {
        OPENAI_BASE_URL: sim.openaiBaseUrl,
        OPENAI_API_KEY: 'sk-sim',
        OPENAI_MODEL: 'gpt-sim',
        CHAT_PROVIDER_CHAIN: 'openai',
      },
      gateway: {
        AUTH_REQUIRED: 'false',
      },
    },
  });
  const browser = await chromium.launch({ executablePath: values.chromium, headless: true, args: FLAGS });
  try {
    const api = platform.url('gateway');
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const entry = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    const chatRoute = await scriptsOfFirstRoute(browser, `${api}/`);

    await coldLoad(browser, `${api}/`); // warm-up: the gateway's first file reads
    const loads = [];
    for (let i = 0; i < runs; i += 1) loads.push(await coldLoad(browser, `${api}/`));

    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await timeToFirstTokenRendered(page, 'warm-up first-token-0'); // opens the socket
    await apiTimeToFirstToken(api, 'warm-up first-token-0');
    const ttft: WebBenchResult['ttft'] = [];
    for (const delay of PROVIDER_FIRST_TOKEN_MS) {
      const rendered: number[] = [];
      const apiOwn: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        apiOwn.push(await apiTimeToFirstToken(api, `bench ${i} first-token-${delay}`));
        rendered.push(await timeToFirstTokenRendered(page, `bench ${i} first-token-${delay}`));
      }
      const r = summarize(rendered, 1);
      const a = summarize(apiOwn, 1);
      ttft.push({ providerFirstTokenMs: delay, rendered: r, api: a, ratioP50: r.p50Ms / a.p50Ms });
    }
    const fcp = summarize(
      loads.map((l) => l.fcpMs),
      1,
    );
    const ready = summarize(
      loads.map((l) => l.readyMs),
      1,
    );
    const result: WebBenchResult = {
      runs,
      entry: { files: entry.length, gzipBytes: gzipped(entry) },
      chatRoute: { files: chatRoute.length, gzipBytes: gzipped(chatRoute) },
      fcp,
      ready,
      ttft,
    };
    console.log(writeReport(result));
  } finally {
    await browser.close();
    await platform.stop();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
