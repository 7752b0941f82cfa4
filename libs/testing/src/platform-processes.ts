import { DATABASE_SERVICES, type ServiceName } from '@parley/config';
import type { InfraEnv } from './infra-env';
import { freePort } from './private-postgres';
import { ServiceProcess } from './service-process';
import { createTestDatabase, infra, testEnv, uniqueSuffix, type TestDatabase } from './test-infra';

/** Variables for one service; `undefined` removes a variable the shared environment set. */
export type EnvOverrides = Record<string, string | undefined>;

export interface PlatformProcessesOptions {
  /** The built services to run, each as its own process (`services/<name>/dist/main.js`). */
  services: readonly ServiceName[];
  /** Every service's variables on top of the test environment (e.g. DEPLOYMENT_MODE). */
  env?: EnvOverrides;
  /**
   * One service's variables on top of that; a function gets every service's URL (all ports are
   * chosen before anything starts), e.g. `auth: (urls) => ({ PUBLIC_URL: urls.gateway })`. The
   * gateway already gets every started service's URL and auth's JWKS; its entry overrides them.
   */
  serviceEnv?: Partial<Record<ServiceName, EnvOverrides | ((urls: ServiceUrls) => EnvOverrides)>>;
  /** Kafka topic prefix shared by the processes (and whatever the test runs in-process); random by default. */
  topicPrefix?: string;
  /** The servers; by default those of the integration project's global setup (`infra()`). */
  infra?: InfraEnv;
  /** Per service; the tenant service migrates the control plane at its first start. Default 90 s. */
  readyTimeoutMs?: number;
}

export type ServiceUrls = Readonly<Partial<Record<ServiceName, string>>>;

/**
 * Built platform services as processes, the way `npm start` and containers run them, for tests
 * that cannot import another service (services never import each other) and for benchmarks: a
 * fresh database and a topic prefix they all share, the test environment plus overrides, each
 * waited for until ready. The tenant service, when asked for, starts first and is ready before the
 * others start (it creates the control plane they read); the others then start together. `stop()`
 * stops them all and drops the database, also after a failed start.
 */
/**
 * Every test platform's gateway counts public calls per client address in the shared Redis, and every
 * test calls from 127.0.0.1: the files running side by side would share one budget (60 a minute) and
 * refuse each other's sign-ups. A test platform lifts the per-address and per-principal limits of the
 * free plan; the limits themselves are tested where they are set on purpose (rate-limit.int-spec.ts
 * and the files that pass their own RATE_LIMIT_* values).
 */
const SHARED_ADDRESS_LIMITS = { RATE_LIMIT_PRINCIPAL_FREE: '100000', RATE_LIMIT_TENANT_FREE: '100000' } as const;

export class PlatformProcesses {
  private readonly processes = new Map<ServiceName, ServiceProcess>();
  private stopped = false;

  private constructor(
    readonly topicPrefix: string,
    readonly db: TestDatabase,
    /** The environment every service got before its own overrides (DATABASE_URL included). */
    readonly env: Record<string, string>,
  ) {}

  static async start(options: PlatformProcessesOptions): Promise<PlatformProcesses> {
    const servers = options.infra ?? infra();
    const topicPrefix = options.topicPrefix ?? `pp${uniqueSuffix()}.`;
    const db = await createTestDatabase(servers.DATABASE_URL);
    const env = applyOverrides(
      testEnv({ databaseUrl: db.url, topicPrefix, extra: { ...SHARED_ADDRESS_LIMITS } }, servers),
      options.env ?? {},
    );
    const platform = new PlatformProcesses(topicPrefix, db, env);
    try {
      const ports = new Map<ServiceName, number>();
      for (const name of options.services) ports.set(name, await freePort());
      const urls: ServiceUrls = Object.fromEntries(
        [...ports].map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
      );
      const spawn = (name: ServiceName) => {
        const own = options.serviceEnv?.[name];
        const wiring = name === 'gateway' ? gatewayWiring(urls) : {};
        const overrides = { ...wiring, ...(typeof own === 'function' ? own(urls) : (own ?? {})) };
        const base = DATABASE_SERVICES.includes(name) ? env : applyOverrides(env, { DATABASE_URL: undefined });
        const service = new ServiceProcess(name, ports.get(name) as number, applyOverrides(base, overrides));
        platform.processes.set(name, service);
        return service.start();
      };
      const timeout = options.readyTimeoutMs ?? 90_000;
      if (options.services.includes('tenant')) await spawn('tenant').waitReady(timeout);
      const others = options.services.filter((name) => name !== 'tenant').map(spawn);
      await Promise.all(others.map((p) => p.waitReady(timeout)));
      return platform;
    } catch (error) {
      await platform.stop();
      throw error;
    }
  }

  /** A started service; throws for one that was not asked for. */
  get(name: ServiceName): ServiceProcess {
    const service = this.processes.get(name);
    if (!service) throw new Error(`${name} was not started`);
    return service;
  }

  url(name: ServiceName): string {
    return this.get(name).url;
  }

  has(name: ServiceName): boolean {
    return this.processes.has(name);
  }

  /** Every started service, in start order. */
  all(): ServiceProcess[] {
    return [...this.processes.values()];
  }

  /** SIGTERM to every service (together), then the database is dropped. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.all().map((p) => p.stop()));
    await this.db.drop();
  }
}

/** The gateway is wired to every started service the way `npm start` wires it (its own overrides win). */
const GATEWAY_UPSTREAM_VARS: Partial<Record<ServiceName, string>> = {
  auth: 'AUTH_SERVICE_URL',
  tenant: 'TENANT_SERVICE_URL',
  billing: 'BILLING_SERVICE_URL',
  'chat-orchestrator': 'CHAT_SERVICE_URL',
  stt: 'STT_SERVICE_URL',
  analytics: 'ANALYTICS_SERVICE_URL',
};

function gatewayWiring(urls: ServiceUrls): EnvOverrides {
  const env: EnvOverrides = {};
  for (const [name, variable] of Object.entries(GATEWAY_UPSTREAM_VARS) as [ServiceName, string][]) {
    const url = urls[name];
    if (url) env[variable] = url;
  }
  if (urls.auth) env.AUTH_JWKS_URL = `${urls.auth}/.well-known/jwks.json`;
  return env;
}

function applyOverrides(env: Record<string, string>, overrides: EnvOverrides): Record<string, string> {
  const out = { ...env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
