import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ensureInfra,
  LlmSimulator,
  PlatformProcesses,
  PrivateInfra,
  PrivatePostgres,
  REPO_ROOT,
} from '@parley/testing';
import { series, signUpOwner, SignUpTraffic, sleep, timed, untilOk, untilReady } from './client';
import { reconcileSignUps, rereadTopics } from './reconcile';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

/**
 * Issue 11's fault suite, bounded and on loopback, against servers of its own (a private Kafka,
 * Redis and Postgres; the shared ones are never touched). Under steady sign-up traffic: `--kills`
 * broker kill -9s (recovery of sign-up, `GET /api/v1/tenant` and readiness after each), then a
 * kill -9 of the tenant service (the consumer of `tenant.create.v2`) and its restart; then chat
 * with Redis down `--redis-down-ms`; then requests with Postgres killed. It reconciles the client's
 * log against Postgres (acknowledged writes lost, orphans, effects applied twice) and a full
 * re-read of the topics (duplicates per dedupe key), and checks that no process exited.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '3' },
      'outage-ms': { type: 'string', default: '8000' },
      'redis-down-ms': { type: 'string', default: '20000' },
      'consumer-down-ms': { type: 'string', default: '3000' },
      samples: { type: 'string', default: '50' },
      workers: { type: 'string', default: '4' },
      logs: { type: 'string' },
      'log-level': { type: 'string', default: 'error' },
      out: { type: 'string', default: 'docs/benchmarks/faults.json' },
    },
  });
  const kills = Number(values.kills);
  const outageMs = Number(values['outage-ms']);
  const redisDownMs = Number(values['redis-down-ms']);
  const consumerDownMs = Number(values['consumer-down-ms']);
  const samples = Number(values.samples);
  const workers = Number(values.workers);

  const shared = ensureInfra();
  const pg = await PrivatePostgres.create();
  const priv = await PrivateInfra.start(shared, ['kafka', 'redis']);
  const sim = await LlmSimulator.start();
  const platform = await PlatformProcesses.start({
    services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
    infra: { ...priv.urls, DATABASE_URL: pg.url },
    env: { DEPLOYMENT_MODE: 'cloud', LOG_LEVEL: values['log-level'] },
    serviceEnv: {
      tenant: { PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '100000' },
      auth: { TRUST_PROXY_HOPS: '1', AUTH_LOCKOUT_IP_THRESHOLD: '100000' },
      'chat-orchestrator': {
        CHAT_PROVIDER_CHAIN: 'anthropic',
        ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-sim',
        ANTHROPIC_MODEL: 'claude-sonnet-5-5',
      },
      gateway: {
        RATE_LIMIT_PRINCIPAL_FREE: '1000000',
        AUTH_FAILURE_LIMIT: '1000000',
      },
    },
  });
  const api = platform.url('gateway');
  const services = platform.all().map((s) => ({ name: s.name, url: s.url }));
  const report: Record<string, unknown> = {
    kills,
    outageMs,
    redisDownMs,
    consumerDownMs,
    samples,
    workers,
    startedAt: new Date().toISOString(),
  };
  try {
    const owner = await signUpOwner(api);
    const tenantRead = () =>
      timed(() =>
        fetch(`${api}/api/v1/tenant`, {
          headers: { authorization: `Bearer ${owner.token}` },
          signal: AbortSignal.timeout(30_000),
        }),
      );

    // 1. Kafka: kill -9 the broker under sign-up traffic, `kills` times.
    const traffic = new SignUpTraffic(api, workers);
    const rounds: {
      signUpMs: number;
      tenantReadMs: number;
      allReadyMs: number;
      readyMs: Record<string, { ms: number; lastDown?: string }>;
    }[] = [];
    for (let i = 0; i < kills; i++) {
      await sleep(3000);
      await priv.kill('kafka');
      await sleep(outageMs);
      await priv.restart(); // returns once the broker answers a metadata request
      const ready = Date.now();
      const [signUpMs, tenantReadMs, readyMs] = await Promise.all([
        traffic.firstSuccessAfter(ready),
        untilOk(tenantRead, 200),
        untilReady(services),
      ]);
      const allReadyMs = Math.max(...Object.values(readyMs).map((r) => r.ms));
      rounds.push({ signUpMs, tenantReadMs, allReadyMs, readyMs });
      log(
        `kill ${i + 1}/${kills}: broker ready → sign-up ${Math.round(signUpMs)} ms, tenant read ${tenantReadMs} ms, ` +
          `all ready ${allReadyMs} ms ${JSON.stringify(readyMs)}`,
      );
    }

    // 2. The consumer of tenant.create.v2 killed -9 under the same traffic, restarted after a pause.
    await sleep(3000);
    const tenant = platform.get('tenant');
    tenant.signal('SIGKILL');
    await tenant.waitExit();
    await sleep(consumerDownMs);
    const restarted = Date.now();
    // As Kubernetes restarts it: the schema migrations are a Helm hook Job, not part of the start.
    tenant.start({ MIGRATE_ON_START: 'false' });
    const [listenMs, ready, signUpMs] = await Promise.all([
      untilOk(() => timed(() => fetch(`${tenant.url}/health/live`)), 200),
      untilReady([{ name: 'tenant', url: tenant.url }]),
      traffic.firstSuccessAfter(restarted),
    ]);
    const readyMs = ready.tenant?.ms;
    report.consumerKill = { listenMs, readyMs, lastDown: ready.tenant?.lastDown, signUpMs };
    log(`tenant killed -9: listens ${listenMs} ms after restart, ready ${readyMs} ms, sign-up ${signUpMs} ms`);
    await sleep(3000);
    await traffic.stop();
    report.kafka = { ...(await reconcileSignUps(platform, traffic.answers)), rounds };

    // 3. Redis down for `redis-down-ms`: chat refused fast all along, back when Redis is.
    const headers = { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' };
    const conversation = (await (
      await fetch(`${api}/api/v1/conversations`, { method: 'POST', headers, body: JSON.stringify({ title: 'f' }) })
    ).json()) as { id: string };
    const send = () =>
      timed(() =>
        fetch(`${api}/api/v1/conversations/${conversation.id}/messages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ content: 'hello' }),
        }),
      );
    await priv.kill('redis');
    const redisDown = await series(send, { forMs: redisDownMs, pauseMs: 100 });
    report.redisDown = { answers: redisDown.answers, latency: redisDown.latency };
    await priv.restart();
    const redisRecoveryMs = await untilOk(send, 201);
    report.redisRecoveryMs = redisRecoveryMs;
    log(`Redis down ${redisDownMs} ms: ${JSON.stringify(redisDown.answers)}; back in ${redisRecoveryMs} ms`);

    // 4. Postgres killed (immediate stop: connections cut), requests that need it.
    await pg.stop();
    const postgresDown = await series(tenantRead, { n: samples });
    report.postgresDown = { answers: postgresDown.answers, latency: postgresDown.latency };
    await pg.start();
    const postgresRecoveryMs = await untilOk(tenantRead, 200);
    report.postgresRecoveryMs = postgresRecoveryMs;
    log(`Postgres killed: ${JSON.stringify(postgresDown.answers)}; back in ${postgresRecoveryMs} ms`);

    // 5. Every topic re-read for duplicates; every process alive.
    report.topics = await rereadTopics(priv.urls.KAFKA_BROKERS, platform.topicPrefix);
    report.processExits = await exits(platform);
  } finally {
    if (values.logs) {
      // --logs DIR: each service's output (kafkajs crashes, group joins), to profile a recovery.
      mkdirSync(values.logs, { recursive: true });
      for (const service of platform.all()) writeFileSync(resolve(values.logs, `${service.name}.log`), service.output);
    }
    await platform.stop().catch(() => undefined);
    await sim.close();
    priv.destroy();
    await pg.destroy();
  }
  const file = resolve(REPO_ROOT, values.out);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nwritten to ${file}\n`);
}

/** Each service answers `/health/live` (the tenant service: its restarted process). */
async function exits(platform: PlatformProcesses): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const service of platform.all()) {
    const live = await fetch(`${service.url}/health/live`).catch(() => undefined);
    out[service.name] = live?.status === 200 ? 'alive' : `NOT ALIVE (${live?.status ?? 'no answer'})`;
  }
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
