import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createTestDatabase,
  freePort,
  REPO_ROOT,
  sharedJaeger,
  stopJaeger,
  summarize,
  type LatencyStats,
  type ServiceProcess,
  type TestDatabase,
} from '@parley/testing';
import { createConversation, startPlatform, startSimulator, type Platform } from './bench-platform';
import { parleyEvent, SseStreamClient } from './sse-stream-client';

const ROUNDS = 5;

/**
 * Tracing's cost on time to first token: two copies of the platform (gateway, auth, tenant,
 * chat-orchestrator) against one LLM simulator, one with tracing off and one exporting every trace
 * (sampling ratio 1) to a local Jaeger, driven in the same run by the same client, one answer at a
 * time, alternating in rounds so both see the same machine. Writes docs/benchmarks/tracing-overhead.md.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { answers: { type: 'string', default: '300' } } });
  const perRound = Math.ceil(Number(values.answers) / ROUNDS);
  const infra = {
    DATABASE_URL: need('DATABASE_URL'),
    REDIS_URL: need('REDIS_URL'),
    KAFKA_BROKERS: need('KAFKA_BROKERS'),
  };
  const simPort = await freePort();
  const simulator = startSimulator(simPort, 0);
  const simulatorUrl = `http://127.0.0.1:${simPort}`;
  const services: ServiceProcess[] = [];
  const dbs: TestDatabase[] = [];
  const { env: jaeger, runDir } = await sharedJaeger();
  const client = new SseStreamClient(4);
  try {
    const start = async (extraEnv: Record<string, string>) => {
      const db = await createTestDatabase(infra.DATABASE_URL);
      dbs.push(db);
      return startPlatform(infra, db.url, simulatorUrl, '', services, extraEnv);
    };
    const off = await start({});
    const on = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER_ARG: '1',
    });
    const ttft: Record<'off' | 'on', number[]> = { off: [], on: [] };
    const elapsed = { off: 0, on: 0 };
    for (const platform of [off, on]) await answers(client, platform, 20, []); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, platform] of [
        ['off', off],
        ['on', on],
      ] as const) {
        const started = performance.now();
        await answers(client, platform, perRound, ttft[name]);
        elapsed[name] += performance.now() - started;
      }
    }
    const stats = { off: summarize(ttft.off, elapsed.off), on: summarize(ttft.on, elapsed.on) };
    writeReport(stats);
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    for (const db of dbs) await db.drop();
    simulator.kill('SIGTERM');
    await stopJaeger(runDir);
  }
}

/** `count` answers one after the other through the gateway, each in a fresh conversation; TTFT per answer. */
async function answers(client: SseStreamClient, platform: Platform, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const conversation = await createConversation(platform);
    const timing = await client.post(
      `${platform.gatewayUrl}/api/v1/conversations/${conversation}/messages`,
      { authorization: `Bearer ${platform.token}` },
      { content: `w${i % 97} w${(i + 1) % 97} w${(i + 2) % 97}` },
      parleyEvent,
    );
    if (!timing.completed || timing.tokenTimes.length === 0) throw new Error('an answer did not complete');
    into.push((timing.tokenTimes[0] as number) - timing.startedAt);
  }
}

function writeReport(stats: Record<'off' | 'on', LatencyStats>): void {
  const ratio = (key: 'p50Ms' | 'p90Ms' | 'p99Ms' | 'meanMs') => (stats.on[key] / stats.off[key]).toFixed(2);
  const row = (label: string, s: LatencyStats) =>
    `| ${label} | ${s.count} | ${s.p50Ms.toFixed(2)} | ${s.p90Ms.toFixed(2)} | ${s.p99Ms.toFixed(2)} | ${s.meanMs.toFixed(2)} |`;
  const text = [
    '# Tracing overhead on time to first token',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`node bench/chat-stream/dist/tracing-overhead.js\` on this shared 2-core`,
    'machine (noisy: other work ran at the same time). Two copies of the platform (gateway, auth, tenant,',
    'chat-orchestrator) against one LLM simulator answering at once; one with tracing off, one exporting every',
    'trace (sampling ratio 1: the worst case) over OTLP/HTTP to a local Jaeger 1.75.0. One answer at a time',
    `through the gateway over SSE, each in a fresh conversation, alternating in ${ROUNDS} rounds; TTFT as the`,
    'client sees it (request sent to first token frame), milliseconds.',
    '',
    '| tracing | answers | p50 | p90 | p99 | mean |',
    '| --- | --- | --- | --- | --- | --- |',
    row('off', stats.off),
    row('on (every trace exported)', stats.on),
    '',
    `Ratio on/off: p50 ${ratio('p50Ms')}, p90 ${ratio('p90Ms')}, p99 ${ratio('p99Ms')}, mean ${ratio('meanMs')}.`,
    '',
  ].join('\n');
  writeFileSync(resolve(REPO_ROOT, 'docs/benchmarks/tracing-overhead.md'), text);
}

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (. .cache/infra/env)`);
  return value;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
