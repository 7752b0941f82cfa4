import 'reflect-metadata';
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BusProducer, BusRequester, createServiceApp } from '@parley/bus';
import { loadConfig } from '@parley/config';
import { createLogger } from '@parley/observability';
import { BenchConsumerApp, BenchProducerApp, tickListeners } from './bench-apps';
import { BenchEchoV1, BenchTickV1 } from './bench-topics';
import { closedLoop, summarize, type LatencyStats } from '@parley/testing';

const TENANT = '5d2c8f1e-7a3b-4c9d-8e6f-1a2b3c4d5e6f';
const ROOT = resolve(__dirname, '../../..');

/**
 * Publish → consume latency and request/reply latency across the real broker, at 1 and 100 in
 * flight, through the same BusProducer / KafkaBusServer / BusRequester the services use (inbox
 * dedupe in Redis included). Results go to docs/benchmarks/bus-roundtrip.{json,md}.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '3000' },
      warmup: { type: 'string', default: '300' },
      // event:reply fetch max-waits, each pair measured in turn in this run (100:100 were the defaults before issue 10).
      waits: { type: 'string', default: '100:100,3000:2000' },
    },
  });
  const total = Number(values.messages);
  const warmup = Number(values.warmup);
  const pairs = values.waits.split(',').map((pair) => pair.split(':').map(Number) as [number, number]);
  const results: Record<string, LatencyStats> = {};
  let partitions = 0;
  for (const [eventWait, replyWait] of pairs) {
    partitions = await measure(total, warmup, eventWait, replyWait, results);
  }
  report(results, { total, warmup, partitions }, values.waits);
}

/** Both scenarios at 1 and 100 in flight with one pair of fetch max-waits; results keyed by the pair. */
async function measure(
  total: number,
  warmup: number,
  eventWait: number,
  replyWait: number,
  results: Record<string, LatencyStats>,
): Promise<number> {
  const prefix = `bench${Date.now().toString(36)}.`;
  const env = {
    ...pick(process.env, ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']),
    KAFKA_TOPIC_PREFIX: prefix,
    BUS_FETCH_MAX_WAIT_MS: String(eventWait),
    BUS_REPLY_FETCH_MAX_WAIT_MS: String(replyWait),
    LOG_LEVEL: 'error',
    PORT: '0',
  };
  const consumerConfig = loadConfig('stt', env);
  const producerConfig = loadConfig('gateway', env);
  const consumerLogger = createLogger('stt', 'error');
  const producerLogger = createLogger('gateway', 'error');
  const consumer = await createServiceApp(
    BenchConsumerApp.forRoot(consumerConfig, consumerLogger),
    consumerConfig,
    consumerLogger,
  );
  const producerApp = await createServiceApp(
    BenchProducerApp.forRoot(producerConfig, producerLogger),
    producerConfig,
    producerLogger,
  );
  await Promise.all([consumer.init(), producerApp.init()]);
  const producer = producerApp.get(BusProducer);
  const requester = producerApp.get(BusRequester);

  const waiting = new Map<number, () => void>();
  tickListeners.length = 0;
  tickListeners.push((m) => waiting.get(m.seq)?.());
  let seqBase = 0;
  const publishConsume = async (seq: number) => {
    const id = seqBase + seq;
    const consumed = new Promise<void>((done) => waiting.set(id, done));
    await producer.emit(BenchTickV1, { tenantId: TENANT, seq: id, sentAt: Date.now() });
    await consumed;
    waiting.delete(id);
  };
  const requestReply = async (seq: number) => {
    await requester.request(BenchEchoV1, { seq });
  };

  for (const [name, op] of [
    ['publish→consume', publishConsume],
    ['request/reply', requestReply],
  ] as const) {
    for (const inFlight of [1, 100]) {
      seqBase += 1_000_000;
      await closedLoop(warmup, inFlight, op, 60_000);
      seqBase += 1_000_000;
      const { latencies, elapsedMs } = await closedLoop(total, inFlight, op, 120_000);
      const key = `${name} @${inFlight}, waits ${eventWait}/${replyWait} ms`;
      results[key] = summarize(latencies, elapsedMs);
      process.stdout.write(`${key}: ${JSON.stringify(results[key])}\n`);
    }
  }
  await producerApp.close();
  await consumer.close();
  return consumerConfig.kafka.partitions;
}

function report(results: Record<string, LatencyStats>, settings: Record<string, number>, waits: string): void {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const dir = resolve(ROOT, 'docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    resolve(dir, 'bus-roundtrip.json'),
    `${JSON.stringify({ at, machine, settings: { ...settings, waits }, results }, null, 2)}\n`,
  );
  const rows = Object.entries(results)
    .map(
      ([k, r]) => `| ${k} | ${r.count} | ${r.p50Ms} | ${r.p90Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.throughputPerSec} |`,
    )
    .join('\n');
  const last =
    Object.keys(results)
      .filter((k) => k.startsWith('request/reply @100'))
      .pop() ?? '';
  const target = results[last]?.p99Ms ?? NaN;
  writeFileSync(
    resolve(dir, 'bus-roundtrip.md'),
    `# Bus round trip (generated by \`npm run bench:bus\`)\n\n` +
      `Run ${at} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}; ` +
      `Apache Kafka 4.1.1 (KRaft, single node, loopback), ${settings.partitions} partitions per topic, ` +
      `${settings.total} measured operations after ${settings.warmup} warm-up per scenario. Each pair of fetch ` +
      `max-waits (event consumer / reply consumer: \`BUS_FETCH_MAX_WAIT_MS\` / \`BUS_REPLY_FETCH_MAX_WAIT_MS\`; ` +
      `\`--waits ${waits}\`) is measured in turn in this one run; 100/100 were the defaults before issue 10.\n\n` +
      `| scenario | n | p50 ms | p90 ms | p99 ms | max ms | ops/s |\n|---|---|---|---|---|---|---|\n${rows}\n\n` +
      `Target: request/reply p99 ≤ 15 ms at 100 in flight — measured ${target} ms with the last pair (${target <= 15 ? 'met' : 'not met'}).\n`,
  );
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k] as string]));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
