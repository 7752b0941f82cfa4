import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { BusRequester, createServiceApp } from '@parley/bus';
import { developmentInternalAuthSecret, loadConfig } from '@parley/config';
import { TenantGetV1 } from '@parley/contracts';
import { createLogger, newTraceparent, RequestContext } from '@parley/observability';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startBareProxy } from './bare-proxy';
import { HttpClient } from './http-client';
import { benchRateLimitCheck, checkHistogram } from './rate-limit-check';
import { writeReport, type BenchSettings, type Comparison } from './report';
import { BenchRequesterApp } from './requester-app';
import {
  closedLoop,
  freePort,
  PlatformProcesses,
  serviceCredentialHeaders,
  summarize,
  waitFor,
  type LatencyStats,
} from '@parley/testing';

const CONCURRENCY = [1, 10, 100] as const;
const ROUNDS = 3;
const S = {
  tenantHttp: 'tenant: direct HTTP GET /internal/tenants/:id',
  tenantKafka: 'tenant: direct Kafka tenant.get.v1',
  tenantGateway: 'tenant: GET /api/v1/tenant via gateway (Kafka)',
  authHttp: 'auth stand-in: direct HTTP GET /auth/me',
  authGateway: 'auth stand-in: GET /api/v1/auth/me via gateway (HTTP)',
  authBareProxy: 'auth stand-in: GET /auth/me via a bare node:http proxy',
  me: 'gateway alone: GET /api/v1/me (auth + rate limit)',
};
const COMPARISONS: Comparison[] = [
  { label: 'Kafka path (GET /api/v1/tenant)', direct: S.tenantKafka, viaGateway: S.tenantGateway },
  { label: 'HTTP-forwarded path (/api/v1/auth/*)', direct: S.authHttp, viaGateway: S.authGateway },
  { label: 'a bare node:http proxy (the floor of a hop)', direct: S.authHttp, viaGateway: S.authBareProxy },
];

/**
 * An authenticated request through the gateway to a service and back, against the same call made
 * directly: over Kafka (GET /api/v1/tenant → tenant.get.v1) and forwarded over HTTP (/api/v1/auth/*),
 * at 1, 10 and 100 concurrent clients; then the rate-limit check as the gateway makes it (its own
 * histogram, at 1 and 10 in flight). Bounded in requests and time.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '1' }, warmup: { type: 'string', default: '200' } },
  });
  const scale = Number(values.scale);
  const warmup = Number(values.warmup);
  const perLevel = { 1: Math.round(1000 * scale), 10: Math.round(3000 * scale), 100: Math.round(5000 * scale) };
  const infra = required(['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']);
  const prefix = `benchgw${Date.now().toString(36)}.`;
  const common = {
    REDIS_URL: infra.REDIS_URL,
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: prefix,
    DEPLOYMENT_MODE: 'cloud',
    // Cloud mode needs a secret; the bench's stand-ins use the public development key (a bench only).
    INTERNAL_AUTH_SECRET: developmentInternalAuthSecret().toString('base64'),
    LOG_LEVEL: 'error',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
  };
  const auth = await startAuthStandIn();
  const bareProxy = await startBareProxy(auth.url);
  let platform: PlatformProcesses | undefined;
  const results: Record<string, LatencyStats> = {};
  try {
    platform = await PlatformProcesses.start({
      services: ['tenant', 'gateway'],
      infra,
      topicPrefix: prefix,
      // Exactly `common`: the test environment's faster bus settings and NODE_ENV do not apply here.
      env: {
        NODE_ENV: undefined,
        BUS_RETRY_BACKOFF_MS: undefined,
        BUS_FETCH_MAX_WAIT_MS: undefined,
        BUS_REPLY_FETCH_MAX_WAIT_MS: undefined,
        BUS_CONSUMER_STALE_MS: undefined,
        ...common,
      },
      serviceEnv: {
        gateway: {
          AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
          AUTH_SERVICE_URL: auth.url,
          RATE_LIMIT_TENANT_ENTERPRISE: '1000000',
          RATE_LIMIT_PRINCIPAL_ENTERPRISE: '1000000',
        },
      },
      readyTimeoutMs: 60_000,
    });
    const tenantService = platform.get('tenant');
    const gateway = platform.get('gateway');
    const tenant = await createTenant(tenantService.url);
    const token = { authorization: `Bearer ${await auth.token(tenant)}` };
    const http = new HttpClient(100);

    await withRequester(common, async (requester) => {
      const scenarios: [string, () => Promise<void>][] = [
        [
          S.tenantHttp,
          // A service credential lives 60 s: asked for per call (reused for 30 s, as services do).
          async () => http.get(`${tenantService.url}/internal/tenants/${tenant}`, await serviceCredentialHeaders()),
        ],
        [
          S.tenantKafka,
          async () => {
            await RequestContext.run({ requestId: randomUUID(), traceparent: newTraceparent(), tenantId: tenant }, () =>
              requester.request(TenantGetV1, {}),
            );
          },
        ],
        [S.tenantGateway, () => http.get(`${gateway.url}/api/v1/tenant`, token)],
        [S.authHttp, () => http.get(`${auth.url}/auth/me`)],
        [S.authGateway, () => http.get(`${gateway.url}/api/v1/auth/me`, token)],
        [S.authBareProxy, () => http.get(`${bareProxy.url}/auth/me`, token)],
        [S.me, () => http.get(`${gateway.url}/api/v1/me`, token)],
      ];
      Object.assign(results, await interleaved(scenarios, perLevel, warmup));
    });
    const inSitu = await rateLimitHistogram(gateway.url);
    const rateLimit = await benchRateLimitCheck({
      gatewayUrl: gateway.url,
      redisUrl: infra.REDIS_URL,
      total: Math.round(5000 * scale),
      request: () => http.get(`${gateway.url}/api/v1/me`, token),
    });
    http.close();

    const settings: BenchSettings = { perLevel, warmup, partitions: 3, fetchMaxWaitMs: 3000, rounds: ROUNDS };
    const { added10, check99 } = writeReport(results, COMPARISONS, rateLimit, inSitu, settings);
    process.stdout.write(`gateway-added p99 @10: ${added10} ms; rate-limit check p99: ${check99} ms\n`);
  } finally {
    await platform?.stop();
    await bareProxy.close();
    await auth.close();
  }
}

/**
 * Per concurrency level: a warm-up of each scenario, then ROUNDS rounds that run every scenario in
 * turn (a slice of its requests each), so direct and via-gateway runs see the same machine state.
 */
async function interleaved(
  scenarios: [string, () => Promise<void>][],
  perLevel: Record<number, number>,
  warmup: number,
): Promise<Record<string, LatencyStats>> {
  const results: Record<string, LatencyStats> = {};
  for (const n of CONCURRENCY) {
    for (const [, op] of scenarios) await closedLoop(warmup, n, op, 30_000);
    const pooled = new Map<string, { latencies: number[]; elapsedMs: number }>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, op] of scenarios) {
        const { latencies, elapsedMs } = await closedLoop(Math.ceil((perLevel[n] ?? 0) / ROUNDS), n, op, 20_000);
        const into = pooled.get(name) ?? { latencies: [], elapsedMs: 0 };
        into.latencies.push(...latencies);
        into.elapsedMs += elapsedMs;
        pooled.set(name, into);
      }
    }
    for (const [name, { latencies, elapsedMs }] of pooled) {
      results[`${name} @${n}`] = summarize(latencies, elapsedMs);
      process.stdout.write(`${name} @${n}: ${JSON.stringify(results[`${name} @${n}`])}\n`);
    }
  }
  return results;
}

async function withRequester(
  env: Record<string, string>,
  fn: (requester: BusRequester) => Promise<void>,
): Promise<void> {
  const config = loadConfig('gateway', { ...env, PORT: '0' });
  const logger = createLogger('gateway', 'error');
  const app = await createServiceApp(BenchRequesterApp.forRoot(config, logger), config, logger);
  await app.init();
  try {
    await fn(app.get(BusRequester));
  } finally {
    await app.close();
  }
}

async function createTenant(tenantUrl: string): Promise<string> {
  const res = await fetch(`${tenantUrl}/internal/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await serviceCredentialHeaders()) },
    body: JSON.stringify({ name: 'Bench', slug: 'bench', plan: 'enterprise' }),
  });
  if (res.status !== 201) throw new Error(`creating the bench tenant answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { tenantId: string }).tenantId;
}

/** Share of the gateway's own rate-limit checks (Redis store) that took ≤ 0.5 ms, from /metrics. */
async function rateLimitHistogram(gatewayUrl: string): Promise<{ checksAtMostHalfMs: number; checks: number }> {
  const histogram = await checkHistogram(gatewayUrl);
  return { checksAtMostHalfMs: histogram.buckets.get(0.0005) ?? NaN, checks: histogram.count };
}

/** The auth stand-in in a process of its own (see auth-stand-in.cli.ts). */
async function startAuthStandIn(): Promise<{
  url: string;
  token(tenant: string): Promise<string>;
  close(): Promise<void>;
}> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(__dirname, 'auth-stand-in.cli.js'), String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/.well-known/jwks.json`).catch(() => null))?.ok === true, {
    what: 'the auth stand-in',
  });
  return {
    url,
    token: async (tenant) =>
      ((await (await fetch(`${url}/bench/token?tenant=${tenant}`)).json()) as { token: string }).token,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

function required<K extends string>(keys: K[]): Record<K, string> {
  const missing = keys.filter((k) => !process.env[k]);
  if (missing.length) throw new Error(`set ${missing.join(', ')} (bench/gateway/run.sh reads .cache/infra/env)`);
  return Object.fromEntries(keys.map((k) => [k, process.env[k] as string])) as Record<K, string>;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
