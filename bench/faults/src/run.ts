import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import {
  ensureInfra,
  LlmSimulator,
  PlatformProcesses,
  PrivateInfra,
  PrivatePostgres,
  REPO_ROOT,
  summarize,
  type LatencyStats,
} from '@parley/testing';

interface Answer {
  at: number;
  status: number;
  code: string;
  ms: number;
  tenantId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;

/**
 * Issue 11's fault suite, bounded and on loopback, against servers of its own (a private Kafka,
 * Redis and Postgres; the shared ones are never touched): sign-ups under steady traffic through
 * `--kills` broker kill -9s, then chat with Redis down, then requests with Postgres killed. It
 * reconciles the client's log against Postgres: process exits, acknowledged sign-ups lost, orphan
 * tenants, answers that were not 201/503/504, and recovery times.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '3' },
      'outage-ms': { type: 'string', default: '8000' },
      samples: { type: 'string', default: '50' },
      workers: { type: 'string', default: '4' },
      logs: { type: 'string' },
      out: { type: 'string', default: 'docs/benchmarks/faults.json' },
      'log-level': { type: 'string', default: 'error' },
    },
  });
  const kills = Number(values.kills);
  const outageMs = Number(values['outage-ms']);
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
      gateway: (urls) => ({
        AUTH_JWKS_URL: `${urls.auth}/.well-known/jwks.json`,
        AUTH_SERVICE_URL: urls.auth,
        TENANT_SERVICE_URL: urls.tenant,
        CHAT_SERVICE_URL: urls['chat-orchestrator'],
        RATE_LIMIT_PRINCIPAL_FREE: '1000000',
        AUTH_FAILURE_LIMIT: '1000000',
      }),
    },
  });
  const api = platform.url('gateway');
  const report: Record<string, unknown> = { kills, outageMs, samples, workers, startedAt: new Date().toISOString() };
  try {
    const signUp = async (): Promise<Answer> => {
      const slug = `f${process.pid}-${++seq}`;
      const started = performance.now();
      const at = Date.now();
      try {
        const res = await fetch(`${api}/api/v1/auth/sign-up`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            organizationName: slug,
            organizationSlug: slug,
            email: `o@${slug}.test`,
            password: 'correct horse battery',
            name: 'Owner',
          }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { tenant?: { id: string }; error?: { code: string } };
        const ms = performance.now() - started;
        return { at, status: res.status, code: body.error?.code ?? 'ok', ms, tenantId: body.tenant?.id };
      } catch (error) {
        return { at, status: 0, code: (error as Error).name, ms: performance.now() - started };
      }
    };

    // 1. Kafka: kill -9 the broker under sign-up traffic, `kills` times.
    const answers: Answer[] = [];
    let running = true;
    const traffic = Array.from({ length: workers }, async () => {
      while (running) {
        answers.push(await signUp());
        await sleep(50);
      }
    });
    const recoveries: number[] = [];
    for (let i = 0; i < kills; i++) {
      await sleep(3000);
      await priv.kill('kafka');
      await sleep(outageMs);
      await priv.restart(); // returns once the broker answers a metadata request
      const ready = Date.now();
      const deadline = ready + 90_000;
      while (Date.now() < deadline && !answers.some((a) => a.at >= ready && a.status === 201)) await sleep(100);
      const first = answers.find((a) => a.at >= ready && a.status === 201);
      recoveries.push(first ? first.at + first.ms - ready : NaN);
      process.stdout.write(`kill ${i + 1}/${kills}: sign-ups back ${recoveries.at(-1)} ms after the broker\n`);
    }
    running = false;
    await Promise.all(traffic);
    report.kafka = await reconcile(platform, answers, recoveries);

    // 2. Redis down: chat refused fast.
    const owner = await signUpOwner(api);
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
    report.redisDown = await series(samples, send);
    await priv.restart();
    report.redisRecoveryMs = await recovery(send, 201);

    // 3. Postgres killed (immediate stop: connections cut), requests that need it.
    const tenantRead = () =>
      timed(() => fetch(`${api}/api/v1/tenant`, { headers: { authorization: `Bearer ${owner.token}` } }));
    await pg.stop();
    report.postgresDown = await series(samples, tenantRead);
    await pg.start();
    report.postgresRecoveryMs = await recovery(tenantRead, 200);
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

async function timed(call: () => Promise<Response>): Promise<{ status: number; code: string; ms: number }> {
  const started = performance.now();
  try {
    const res = await call();
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code ?? 'ok', ms: performance.now() - started };
  } catch (error) {
    return { status: 0, code: (error as Error).name, ms: performance.now() - started };
  }
}

async function series(
  n: number,
  call: () => Promise<{ status: number; code: string; ms: number }>,
): Promise<{ answers: Record<string, number>; latency: LatencyStats }> {
  const started = performance.now();
  const results = [];
  for (let i = 0; i < n; i++) results.push(await call());
  return {
    answers: countBy(results.map((r) => `${r.status} ${r.code}`)),
    latency: summarize(
      results.map((r) => r.ms),
      performance.now() - started,
    ),
  };
}

async function recovery(call: () => Promise<{ status: number }>, ok: number): Promise<number> {
  const ready = Date.now();
  for (let i = 0; i < 900; i++) {
    if ((await call()).status === ok) return Date.now() - ready;
    await sleep(100);
  }
  return NaN;
}

async function signUpOwner(api: string): Promise<{ token: string }> {
  for (let i = 0; i < 100; i++) {
    const slug = `fo${process.pid}-${++seq}`;
    const res = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: slug,
        organizationSlug: slug,
        email: `o@${slug}.test`,
        password: 'correct horse battery',
        name: 'O',
      }),
    });
    if (res.status === 201) return { token: ((await res.json()) as { accessToken: string }).accessToken };
    await sleep(500);
  }
  throw new Error('no sign-up succeeded after the Kafka scenario');
}

async function exits(platform: PlatformProcesses): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const service of platform.all()) {
    const live = await fetch(`${service.url}/health/live`).catch(() => undefined);
    out[service.name] = live?.status === 200 ? 'alive' : `NOT ALIVE (${live?.status ?? 'no answer'})`;
  }
  return out;
}

async function reconcile(
  platform: PlatformProcesses,
  answers: Answer[],
  recoveries: number[],
): Promise<Record<string, unknown>> {
  const db = new Client({ connectionString: platform.db.url });
  await db.connect();
  try {
    const orphans = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM control.tenants t
       WHERE NOT EXISTS (SELECT 1 FROM auth.memberships m WHERE m.tenant_id = t.id)`,
    );
    const acknowledged = answers.filter((a) => a.status === 201 && a.tenantId).map((a) => a.tenantId as string);
    const stored = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM control.tenants t JOIN auth.memberships m ON m.tenant_id = t.id WHERE t.id = ANY($1)`,
      [acknowledged],
    );
    return {
      signUps: answers.length,
      answers: countBy(answers.map((a) => `${a.status} ${a.code}`)),
      notCoded: answers.filter((a) => ![201, 503, 504].includes(a.status)).length,
      acknowledged: acknowledged.length,
      acknowledgedLost: acknowledged.length - Number(stored.rows[0]?.n ?? 0),
      orphanTenants: Number(orphans.rows[0]?.n ?? 0),
      recoveryAfterBrokerReadyMs: recoveries,
      latencyOk: summarize(
        answers.filter((a) => a.status === 201).map((a) => a.ms),
        Math.max(1, (answers.at(-1)?.at ?? 0) - (answers[0]?.at ?? 0)),
      ),
    };
  } finally {
    await db.end();
  }
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) out[key] = (out[key] ?? 0) + 1;
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
