import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  internalPrincipalHeaders,
  createTestDatabase,
  freePort,
  parseHistogram,
  REPO_ROOT,
  ServiceProcess,
  summarize,
  waitFor,
  type HistogramSnapshot,
} from '@parley/testing';
import type { ServiceName } from '@parley/config';
import { writeReport, type LevelResult, type Mode } from './report';
import { openAiChunk, parleyEvent, SseStreamClient, type StreamTiming } from './sse-stream-client';

const CONCURRENCY = [1, 10, 100] as const;
const ROUNDS = 3;
/** Words of each prompt: the simulator echoes them back, one token per word. */
const PROMPT_WORDS = 40;
/** A conversation is replaced after this many answers, so the history sent stays realistic but bounded. */
const MESSAGES_PER_CONVERSATION = 10;

interface Platform {
  gatewayUrl: string;
  chatUrl: string;
  /** The internal headers the gateway would set for the bench user (the orchestrator-direct mode). */
  /** A fresh signed principal header (as the gateway mints per request), for the direct mode. */
  internalHeaders: () => Promise<Record<string, string>>;
  token: string;
  simulatorUrl: string;
}

/**
 * Time to first token and inter-token gaps of a streamed answer through the whole platform
 * (client → gateway → chat-orchestrator → simulator → back, over SSE) against the same client
 * streaming from the simulator directly, at 1, 10 and 100 concurrent streams. Every platform
 * stream is checked for lost, reordered or foreign tokens against the direct answer.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      'token-delay-ms': { type: 'string', default: '5' },
    },
  });
  const scale = Number(values.scale);
  const tokenDelayMs = Number(values['token-delay-ms']);
  const perLevel = { 1: Math.round(150 * scale), 10: Math.round(600 * scale), 100: Math.round(1500 * scale) };
  const infra = required(['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']);
  const db = await createTestDatabase(infra.DATABASE_URL);
  const simPort = await freePort();
  const simulator = startSimulator(simPort, tokenDelayMs);
  const services: ServiceProcess[] = [];
  const client = new SseStreamClient(200);
  try {
    const platform = await startPlatform(infra, db.url, `http://127.0.0.1:${simPort}`, services);
    const results: LevelResult[] = [];
    for (const n of CONCURRENCY) {
      const pooled: Record<Mode, StreamTiming[]> = { direct: [], orchestrator: [], platform: [] };
      const elapsed: Record<Mode, number> = { direct: 0, orchestrator: 0, platform: 0 };
      await runLevel(client, platform, 'direct', n, n * 2, pooled, elapsed, true); // warm-up
      await runLevel(client, platform, 'orchestrator', n, n * 2, pooled, elapsed, true);
      await runLevel(client, platform, 'platform', n, n * 2, pooled, elapsed, true);
      const before = await orchestratorHistograms(platform.chatUrl);
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of ['direct', 'orchestrator', 'platform'] as const) {
          await runLevel(client, platform, mode, n, Math.ceil(perLevel[n] / ROUNDS), pooled, elapsed, false);
        }
      }
      const after = await orchestratorHistograms(platform.chatUrl);
      results.push({ ...levelResult(n, pooled, elapsed), orchestrator: meansBetween(before, after) });
      process.stdout.write(`@${n}: ${JSON.stringify(results.at(-1)?.added)}\n`);
    }
    const summary = writeReport(results, { perLevel, tokenDelayMs, promptWords: PROMPT_WORDS, rounds: ROUNDS });
    process.stdout.write(`${summary}\n`);
  } finally {
    client.close();
    await Promise.all(services.map((s) => s.stop()));
    simulator.kill('SIGTERM');
    await db.drop();
  }
}

/** `total` streams with `inFlight` at a time; each worker keeps its own conversation (one answer at a time each). */
async function runLevel(
  client: SseStreamClient,
  platform: Platform,
  mode: Mode,
  inFlight: number,
  total: number,
  pooled: Record<Mode, StreamTiming[]>,
  elapsed: Record<Mode, number>,
  warmup: boolean,
): Promise<void> {
  let next = 0;
  const started = performance.now();
  const deadline = started + 120_000;
  const worker = async (w: number): Promise<void> => {
    let conversation: string | null = null;
    let used = 0;
    while (next < total && performance.now() < deadline) {
      const seq = next++;
      const text = promptFor(w, seq);
      if (mode === 'direct') {
        const timing = await client.post(
          `${platform.simulatorUrl}/v1/chat/completions`,
          { authorization: 'Bearer bench' },
          {
            model: 'bench-model',
            stream: true,
            stream_options: { include_usage: true },
            messages: [{ role: 'user', content: text }],
          },
          openAiChunk,
        );
        if (!warmup) pooled.direct.push(timing);
        continue;
      }
      if (!conversation || used >= MESSAGES_PER_CONVERSATION) {
        conversation = await createConversation(platform);
        used = 0;
      }
      used += 1;
      const timing =
        mode === 'platform'
          ? await client.post(
              `${platform.gatewayUrl}/api/v1/conversations/${conversation}/messages`,
              { authorization: `Bearer ${platform.token}` },
              { content: text },
              parleyEvent,
            )
          : await client.post(
              `${platform.chatUrl}/conversations/${conversation}/messages`,
              await platform.internalHeaders(),
              { content: text },
              parleyEvent,
            );
      const expected = expectedAnswer(text);
      if (!warmup) pooled[mode].push(timing);
      if (timing.text !== expected) throw new Error(`stream ${seq}: got ${JSON.stringify(timing.text)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
  if (!warmup) elapsed[mode] += performance.now() - started;
}

type Histograms = Record<'preflight' | 'ttft', HistogramSnapshot>;

/** The orchestrator's own view, from its /metrics: preflight and time to first token (sum, count). */
async function orchestratorHistograms(chatUrl: string): Promise<Histograms> {
  const text = await (await fetch(`${chatUrl}/metrics`)).text();
  return {
    preflight: parseHistogram(text, 'chat_preflight_duration_seconds'),
    ttft: parseHistogram(text, 'chat_time_to_first_token_seconds'),
  };
}

function meansBetween(before: Histograms, after: Histograms): { preflightMeanMs: number; ttftMeanMs: number } {
  const mean = (key: keyof Histograms) =>
    round(((after[key].sum - before[key].sum) / Math.max(1, after[key].count - before[key].count)) * 1000);
  return { preflightMeanMs: mean('preflight'), ttftMeanMs: mean('ttft') };
}

const answers = new Map<string, string>();

/** The simulator's deterministic answer to a prompt, as the direct path received it. */
function expectedAnswer(prompt: string): string {
  return answers.get(prompt) ?? '';
}

/** One of 97 fixed prompts (their answers are learnt up front). */
function promptFor(worker: number, seq: number): string {
  return prompt((worker * 7 + seq) % PROMPTS);
}

const PROMPTS = 97;

function prompt(k: number): string {
  return Array.from({ length: PROMPT_WORDS }, (_, i) => `w${(k + i) % PROMPTS}`).join(' ');
}

function levelResult(n: number, pooled: Record<Mode, StreamTiming[]>, elapsed: Record<Mode, number>): LevelResult {
  const stats = (mode: Mode) => {
    const timings = pooled[mode];
    const ttft = timings.map((t) => (t.tokenTimes[0] ?? NaN) - t.startedAt);
    const gaps = timings.flatMap((t) => t.tokenTimes.slice(1).map((time, i) => time - (t.tokenTimes[i] ?? time)));
    return {
      ttft: summarize(ttft, elapsed[mode]),
      gaps: summarize(gaps, elapsed[mode]),
      streams: timings.length,
      tokens: timings.reduce((sum, t) => sum + t.tokenTimes.length, 0),
    };
  };
  const direct = stats('direct');
  const platform = stats('platform');
  const viaOrchestrator = stats('orchestrator');
  let lost = 0;
  let reordered = 0;
  let incomplete = 0;
  for (const t of pooled.platform) {
    t.indexes.forEach((index, i) => {
      if (index !== i) reordered += 1;
    });
    t.seqs.forEach((seq, i) => {
      if (seq !== i) lost += 1; // message.started is seq 0, then every event in order without gaps
    });
    if (!t.completed) incomplete += 1;
  }
  return {
    concurrency: n,
    direct,
    platform,
    integrity: { lost, reordered, incomplete },
    orchestratorOnly: viaOrchestrator,
    addedByGateway: {
      ttftP50Ms: round(platform.ttft.p50Ms - viaOrchestrator.ttft.p50Ms),
      ttftP99Ms: round(platform.ttft.p99Ms - viaOrchestrator.ttft.p99Ms),
      gapP99Ms: round(platform.gaps.p99Ms - viaOrchestrator.gaps.p99Ms),
    },
    added: {
      ttftP50Ms: round(platform.ttft.p50Ms - direct.ttft.p50Ms),
      ttftP99Ms: round(platform.ttft.p99Ms - direct.ttft.p99Ms),
      gapP50Ms: round(platform.gaps.p50Ms - direct.gaps.p50Ms),
      gapP99Ms: round(platform.gaps.p99Ms - direct.gaps.p99Ms),
    },
  };
}

function startSimulator(port: number, tokenDelayMs: number): ChildProcess {
  const cli = resolve(REPO_ROOT, 'libs/testing/dist/llm-simulator/llm-simulator.cli.js');
  return spawn(process.execPath, [cli, '--port', String(port), '--token-delay-ms', String(tokenDelayMs)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function startPlatform(
  infra: Record<'REDIS_URL' | 'KAFKA_BROKERS', string>,
  databaseUrl: string,
  simulatorUrl: string,
  services: ServiceProcess[],
): Promise<Platform> {
  const common = {
    REDIS_URL: infra.REDIS_URL,
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: `benchchat${Date.now().toString(36)}.`,
    DATABASE_URL: databaseUrl,
    DEPLOYMENT_MODE: 'cloud',
    LOG_LEVEL: 'error',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
  };
  const start = async (name: ServiceName, env: Record<string, string>) => {
    const service = new ServiceProcess(name, await freePort(), { ...common, ...env }).start();
    services.push(service);
    await service.waitReady(90_000);
    return service;
  };
  const tenant = await start('tenant', {
    PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000000000',
    PLAN_FREE_TOKENS_PER_MONTH: '1000000000000',
  });
  const auth = await start('auth', { TENANT_SERVICE_URL: tenant.url });
  const chat = await start('chat-orchestrator', {
    OPENAI_BASE_URL: `${simulatorUrl}/v1`,
    OPENAI_API_KEY: 'bench-key',
    OPENAI_MODEL: 'bench-model',
    CHAT_PROVIDER_CHAIN: 'openai',
  });
  const gateway = await start('gateway', {
    AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
    AUTH_SERVICE_URL: auth.url,
    TENANT_SERVICE_URL: tenant.url,
    CHAT_SERVICE_URL: chat.url,
    RATE_LIMIT_TENANT_FREE: '1000000',
    RATE_LIMIT_PRINCIPAL_FREE: '1000000',
  });
  await waitFor(
    async () =>
      (await fetch(`${simulatorUrl}/v1/models`, { headers: { authorization: 'Bearer bench' } }).catch(() => null))
        ?.ok === true,
    {
      timeoutMs: 20_000,
      what: 'the LLM simulator',
    },
  );
  const signUp = await fetch(`${gateway.url}/api/v1/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organizationName: 'Bench',
      organizationSlug: 'bench',
      email: 'bench@bench.test',
      password: 'correct horse battery',
      name: 'Bench',
    }),
  });
  if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}: ${await signUp.text()}`);
  const session = (await signUp.json()) as { accessToken: string; tenant: { id: string }; user: { id: string } };
  const internalHeaders = () =>
    internalPrincipalHeaders({
      tid: session.tenant.id,
      knd: 'user',
      uid: session.user.id,
      role: 'owner',
      plan: 'free',
      rid: `bench-${Date.now()}`,
    });
  const platform = {
    gatewayUrl: gateway.url,
    chatUrl: chat.url,
    token: session.accessToken,
    simulatorUrl,
    internalHeaders,
  };
  await learnAnswers(platform);
  return platform;
}

/** Every prompt the bench sends, answered once by the simulator directly: what each platform stream must equal. */
async function learnAnswers(platform: Platform): Promise<void> {
  const client = new SseStreamClient(10);
  const unique = Array.from({ length: PROMPTS }, (_, k) => prompt(k));
  for (let i = 0; i < unique.length; i += 10) {
    await Promise.all(
      unique.slice(i, i + 10).map(async (text) => {
        const timing = await client.post(
          `${platform.simulatorUrl}/v1/chat/completions`,
          { authorization: 'Bearer bench' },
          { model: 'bench-model', stream: true, messages: [{ role: 'user', content: text }] },
          openAiChunk,
        );
        answers.set(text, timing.text);
      }),
    );
  }
  client.close();
}

async function createConversation(platform: Platform): Promise<string> {
  const res = await fetch(`${platform.gatewayUrl}/api/v1/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`creating a conversation answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

function required<K extends string>(keys: K[]): Record<K, string> {
  const missing = keys.filter((k) => !process.env[k]);
  if (missing.length) throw new Error(`set ${missing.join(', ')} (bench/chat-stream/run.sh reads .cache/infra/env)`);
  return Object.fromEntries(keys.map((k) => [k, process.env[k] as string])) as Record<K, string>;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
