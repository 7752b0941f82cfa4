import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, SERVICE_NAMES, type ServiceName } from '@parley/config';
import {
  freePort,
  PlatformProcesses,
  PrivatePostgres,
  REPO_ROOT,
  ServiceProcess,
  serviceFetch,
  sttEngineEnv,
  testEnv,
  uniqueSuffix,
  waitFor,
} from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/**
 * The whole platform as processes: all seven built services on the real Postgres, Redis and Kafka,
 * the way `npm start` runs them.
 */
describe('the platform, every service as its own process', () => {
  const prefix = `e2e${uniqueSuffix()}.`;
  let platform: PlatformProcesses;
  const services = new Map<ServiceName, ServiceProcess>();

  beforeAll(async () => {
    // The tenant service migrates the control plane: PlatformProcesses starts it first, then the others.
    // stt is ready only with its engine (faster-whisper and the models), as `npm start` runs it.
    const stt = await sttEngineEnv();
    platform = await PlatformProcesses.start({
      services: SERVICE_NAMES,
      env: { DEPLOYMENT_MODE: 'cloud', LOG_LEVEL: 'warn' },
      serviceEnv: { stt: { ...stt } },
      topicPrefix: prefix,
    });
    for (const name of SERVICE_NAMES) services.set(name, platform.get(name));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(SERVICE_NAMES)('%s answers /health/live, /health/ready and /metrics', async (name) => {
    const service = services.get(name) as ServiceProcess;
    expect((await json(fetch(`${service.url}/health/live`))).status).toBe('ok');
    const ready = await json(fetch(`${service.url}/health/ready`));
    expect(ready.status).toBe('ok');
    const base = name === 'gateway' ? ['kafka', 'redis'] : ['kafka', 'postgres', 'redis'];
    // Services with Kafka consumers also report whether those consume yet.
    const consumes = ['gateway', 'tenant', 'analytics', 'billing', 'auth'].includes(name);
    // The speech service also reports its engine and both models.
    const own = name === 'stt' ? ['stt-engine', 'stt-model-base', 'stt-model-tiny'] : [];
    const expected = [...base, ...(consumes ? ['kafka-consumers'] : []), ...own].sort();
    expect(Object.keys(ready.checks).sort()).toEqual(expected);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain(`process_cpu_user_seconds_total{service="${name}"}`);
    expect(metrics).toMatch(
      new RegExp(`http_requests_total\\{method="GET",route="/health/ready",status="200",service="${name}"\\} \\d+`),
    );
    expect(metrics).toContain('# TYPE bus_handler_duration_seconds histogram');
  });

  it('creates a tenant in the tenant service and the analytics service records it across the broker', async () => {
    const tenant = services.get('tenant') as ServiceProcess;
    const analytics = services.get('analytics') as ServiceProcess;
    const res = await serviceFetch(`${tenant.url}/internal/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Umbrella', slug: 'umbrella' }),
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    const events = await waitFor(
      async () => {
        const list = await json(serviceFetch(`${analytics.url}/internal/tenants/${created.tenantId}/events`));
        return Array.isArray(list) && list.length > 0 ? list : undefined;
      },
      { timeoutMs: 20_000, what: 'analytics to record tenant.created' },
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'tenant.created', data: { tenantId: created.tenantId, slug: 'umbrella' } });
    const metrics = await (await fetch(`${analytics.url}/metrics`)).text();
    expect(metrics).toMatch(
      /bus_messages_handled_total\{topic="tenant.created.v1",outcome="ok",service="analytics"\} 1/,
    );
  });

  it('runs the migration command over every tenant: dry run, real run, usage errors', async () => {
    const env = { PATH: process.env.PATH ?? '', ...testEnv({ databaseUrl: platform.db.url, topicPrefix: prefix }) };
    const run = (args: string[]) =>
      spawnSync(process.execPath, [resolve(REPO_ROOT, 'services/tenant/dist/migrate.cli.js'), ...args], {
        env,
        encoding: 'utf8',
      });
    const dry = run(['--dry-run', '--json']);
    expect(dry.status).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report.tenants).toMatchObject({ dryRun: true, total: 1, pending: 0, upToDate: 1, failed: 0 });
    const real = run([]);
    expect(real.status).toBe(0);
    expect(real.stdout).toMatch(/tenants: 1 total, 0 migrated, 1 up to date, 0 pending, 0 failed/);
    const bad = run(['--frm', 'x']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/Unknown option '--frm'/);
    expect(run(['--tenant', 'no-such-tenant']).status).toBe(1);
  });

  it('stops every service cleanly on SIGTERM: consumers leave their groups, exit code 0', async () => {
    const codes = await Promise.all([...services.values()].map(async (s) => [s.name, await s.stop()] as const));
    expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(SERVICE_NAMES.map((n) => [n, 0])));
  });
});

describe('readiness follows the real database', () => {
  it('turns false when Postgres stops and true again when it is back', async () => {
    const pg = await PrivatePostgres.create();
    const service = new ServiceProcess(
      'billing',
      await freePort(),
      testEnv({ databaseUrl: pg.url, topicPrefix: `r${uniqueSuffix()}.` }),
    );
    try {
      service.start();
      await service.waitReady();
      await pg.stop();
      const down = await waitFor(
        async () => {
          const res = await fetch(`${service.url}/health/ready`);
          return res.status === 503 ? json(res) : undefined;
        },
        { what: 'readiness 503' },
      );
      expect(down.checks.postgres.status).toBe('down');
      expect(down.checks.redis.status).toBe('up');
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      await pg.start();
      await service.waitReady(30_000);
      expect(await service.stop()).toBe(0);
    } finally {
      await service.stop();
      await pg.destroy();
    }
  });
});

describe('bad configuration', () => {
  it.each([
    ['auth', { PORT: 'eighty' }, ['DATABASE_URL', 'PORT']],
    ['gateway', { KAFKA_BROKERS: 'not a broker list', DEPLOYMENT_MODE: 'moon' }, ['KAFKA_BROKERS', 'DEPLOYMENT_MODE']],
  ] as const)('stops %s at boot with a message naming the variable', async (name, bad, named) => {
    const env = testEnv({ topicPrefix: 'unused.' });
    const service = new ServiceProcess(name, DEFAULT_PORTS[name] + 1000, { ...env, ...bad }).start();
    const code = await service.waitExit();
    expect(code).toBe(78);
    expect(service.output).toContain(`Invalid configuration for service "${name}"`);
    for (const variable of named) expect(service.output).toContain(variable);
  });
});
