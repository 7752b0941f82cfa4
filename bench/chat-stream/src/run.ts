import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  createTestDatabase,
  freePort,
  parseHistogram,
  summarize,
  type HistogramSnapshot,
  type ServiceProcess,
} from '@parley/testing';
import { createConversation, startFloor, startPlatform, startSimulator, type Platform } from './bench-platform';
import { CpuMeter, pidFromFile, withChildren } from './cpu-meter';
import { measureGrowingConversation } from './growing-conversation';
import { writeReport, type LevelResult, type Mode } from './report';
import { openAiChunk, parleyEvent, SseStreamClient, type StreamTiming } from './sse-stream-client';

const CONCURRENCY = [1, 10, 100] as const;
/** Interleaved in this order in every round, so each mode sees the same machine. */
const MODES: readonly Mode[] = ['direct', 'floor', 'orchestrator', 'platform'];
/** Turns of the one conversation whose history keeps growing (first turns against the last). */
const GROWTH_TURNS = 100;
const ROUNDS = 3;
/** Words of each prompt: the simulator echoes them back, one token per word. */
const PROMPT_WORDS = 40;
/** A conversation is replaced after this many answers, so the history sent stays realistic but bounded. */
const MESSAGES_PER_CONVERSATION = 10;

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
  const hops: ChildProcess[] = [];
  const client = new SseStreamClient(200);
  try {
    const floorUrl = await startFloor(`http://127.0.0.1:${simPort}`, hops);
    const platform = await startPlatform(infra, db.url, `http://127.0.0.1:${simPort}`, floorUrl, services);
    await learnAnswers(platform);
    const meter = cpuMeter(simulator, hops, services, new URL(db.url).pathname.slice(1));
    const results: LevelResult[] = [];
    for (const n of CONCURRENCY) {
      const pooled: Record<Mode, StreamTiming[]> = { direct: [], floor: [], orchestrator: [], platform: [] };
      const elapsed: Record<Mode, number> = { direct: 0, floor: 0, orchestrator: 0, platform: 0 };
      const cpu: Record<Mode, Record<string, number>> = { direct: {}, floor: {}, orchestrator: {}, platform: {} };
      for (const mode of MODES) await runLevel(client, platform, mode, n, n * 2, pooled, elapsed, true); // warm-up
      const before = await orchestratorHistograms(platform.chatUrl);
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of MODES) {
          const cpuBefore = meter.read();
          await runLevel(client, platform, mode, n, Math.ceil(perLevel[n] / ROUNDS), pooled, elapsed, false);
          for (const [name, ms] of Object.entries(CpuMeter.since(cpuBefore, meter.read()))) {
            cpu[mode][name] = (cpu[mode][name] ?? 0) + ms;
          }
        }
      }
      const after = await orchestratorHistograms(platform.chatUrl);
      results.push({
        ...levelResult(n, pooled, elapsed),
        orchestrator: meansBetween(before, after),
        cpuPerStreamMs: perStream(cpu, pooled),
      });
      process.stdout.write(`@${n}: ${JSON.stringify(results.at(-1)?.added)}\n`);
    }
    const growth = await measureGrowingConversation(
      client,
      platform,
      GROWTH_TURNS,
      (text) => {
        if (!answers.has(text)) throw new Error(`no learnt answer for ${text}`);
        return expectedAnswer(text);
      },
      promptFor,
      async () => {
        const { preflight, ttft } = await orchestratorHistograms(platform.chatUrl);
        return { preflight: preflight.sum, ttft: ttft.sum };
      },
    );
    const summary = writeReport(results, growth, {
      perLevel,
      tokenDelayMs,
      promptWords: PROMPT_WORDS,
      rounds: ROUNDS,
    });
    process.stdout.write(`${summary}\n`);
  } finally {
    client.close();
    await Promise.all(services.map((s) => s.stop()));
    simulator.kill('SIGTERM');
    for (const hop of hops) hop.kill('SIGTERM');
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
      if (mode === 'floor') {
        const timing = await client.post(platform.floorUrl, {}, { content: text }, parleyEvent);
        if (!warmup) pooled.floor.push(timing);
        if (timing.text !== expectedAnswer(text))
          throw new Error(`floor stream ${seq}: got ${JSON.stringify(timing.text)}`);
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

/**
 * The CPU of every process a stream can cost: the simulator, the floor's two hops, each service,
 * and the infra's servers when this run uses the project's own (`.cache/infra/*.pid`; Postgres
 * with its background processes and this database's backends). Redis and Kafka also serve whatever
 * else runs on the machine.
 */
function cpuMeter(
  simulator: ChildProcess,
  hops: ChildProcess[],
  services: ServiceProcess[],
  database: string,
): CpuMeter {
  const pids = (list: (number | undefined | null)[]) => () => list.filter((pid): pid is number => !!pid);
  const groups: Record<string, () => number[]> = {
    simulator: pids([simulator.pid]),
    'floor hops': pids(hops.map((hop) => hop.pid)),
  };
  for (const service of services) groups[service.name] = pids([service.pid]);
  const infra = new URL('../../../.cache/infra/', `file://${__dirname}/`).pathname;
  const postgres = pidFromFile(`${infra}pg/postmaster.pid`);
  // Its background processes, and the backends of this run's database (not other work's).
  // A backend's title names its client (`user db 127.0.0.1(port) state`, or `[local]`).
  const ours = (cmdline: string) => !/\(\d+\)|\[local\]/.test(cmdline) || cmdline.includes(` ${database} `);
  if (postgres) groups.postgres = () => withChildren(postgres, ours);
  for (const name of ['redis', 'kafka']) {
    const pid = pidFromFile(`${infra}${name}.pid`);
    if (pid) groups[name] = pids([pid]);
  }
  return new CpuMeter(groups);
}

/** CPU milliseconds per completed stream of each mode, per process group. */
function perStream(
  cpu: Record<Mode, Record<string, number>>,
  pooled: Record<Mode, StreamTiming[]>,
): Record<Mode, Record<string, number>> {
  const result = {} as Record<Mode, Record<string, number>>;
  for (const mode of MODES) {
    const streams = Math.max(1, pooled[mode].length);
    result[mode] = Object.fromEntries(Object.entries(cpu[mode]).map(([name, ms]) => [name, round(ms / streams)]));
  }
  return result;
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
  const floor = stats('floor');
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
  const floorAdded = {
    ttftP50Ms: round(floor.ttft.p50Ms - direct.ttft.p50Ms),
    ttftP99Ms: round(floor.ttft.p99Ms - direct.ttft.p99Ms),
    gapP50Ms: round(floor.gaps.p50Ms - direct.gaps.p50Ms),
    gapP99Ms: round(floor.gaps.p99Ms - direct.gaps.p99Ms),
  };
  const added = {
    ttftP50Ms: round(platform.ttft.p50Ms - direct.ttft.p50Ms),
    ttftP99Ms: round(platform.ttft.p99Ms - direct.ttft.p99Ms),
    gapP50Ms: round(platform.gaps.p50Ms - direct.gaps.p50Ms),
    gapP99Ms: round(platform.gaps.p99Ms - direct.gaps.p99Ms),
  };
  return {
    concurrency: n,
    direct,
    floor,
    platform,
    floorAdded,
    own: {
      ttftP50Ms: round(added.ttftP50Ms - floorAdded.ttftP50Ms),
      ttftP99Ms: round(added.ttftP99Ms - floorAdded.ttftP99Ms),
      gapP99Ms: round(added.gapP99Ms - floorAdded.gapP99Ms),
      streamsPerSecondRatio: round(
        platform.streams / Math.max(1e-9, elapsed.platform) / (floor.streams / Math.max(1e-9, elapsed.floor)),
      ),
    },
    integrity: { lost, reordered, incomplete },
    orchestratorOnly: viaOrchestrator,
    addedByGateway: {
      ttftP50Ms: round(platform.ttft.p50Ms - viaOrchestrator.ttft.p50Ms),
      ttftP99Ms: round(platform.ttft.p99Ms - viaOrchestrator.ttft.p99Ms),
      gapP99Ms: round(platform.gaps.p99Ms - viaOrchestrator.gaps.p99Ms),
    },
    added,
  };
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
