import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, internalPrincipalHeaders, REPO_ROOT, ServiceProcess, waitFor } from '@parley/testing';
import { developmentInternalAuthSecret, type ServiceName } from '@parley/config';

export interface Platform {
  gatewayUrl: string;
  /** The floor: two bare node:http hops (relay → reframe) to the same simulator. */
  floorUrl: string;
  chatUrl: string;
  /** The internal headers the gateway would set for the bench user (the orchestrator-direct mode). */
  /** A fresh signed principal header (as the gateway mints per request), for the orchestrator-direct mode. */
  internalHeaders: () => Promise<Record<string, string>>;
  token: string;
  simulatorUrl: string;
}

export function startSimulator(port: number, tokenDelayMs: number): ChildProcess {
  const cli = resolve(REPO_ROOT, 'libs/testing/dist/llm-simulator/llm-simulator.cli.js');
  return spawn(process.execPath, [cli, '--port', String(port), '--token-delay-ms', String(tokenDelayMs)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The two floor hops, each its own process like the gateway and the orchestrator; returns the relay's URL. */
export async function startFloor(simulatorUrl: string, hops: ChildProcess[]): Promise<string> {
  const cli = resolve(__dirname, 'floor-hop.cli.js');
  const hop = async (role: 'relay' | 'reframe', upstream: string): Promise<string> => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, '--role', role, '--upstream', upstream, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    hops.push(child);
    await new Promise<void>((ready, fail) => {
      child.stdout?.once('data', () => ready());
      child.once('exit', (code) => fail(new Error(`floor hop ${role} exited ${code}`)));
    });
    return `http://127.0.0.1:${port}`;
  };
  const reframe = await hop('reframe', simulatorUrl);
  return `${await hop('relay', reframe)}/messages`;
}

export async function startPlatform(
  infra: Record<'REDIS_URL' | 'KAFKA_BROKERS', string>,
  databaseUrl: string,
  simulatorUrl: string,
  floorUrl: string,
  services: ServiceProcess[],
  /** Every service's extra variables (e.g. tracing on: OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER). */
  extraEnv: Record<string, string> = {},
): Promise<Platform> {
  const common = {
    REDIS_URL: infra.REDIS_URL,
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: `benchchat${Date.now().toString(36)}.`,
    DATABASE_URL: databaseUrl,
    DEPLOYMENT_MODE: 'cloud',
    // Cloud mode needs a secret; the bench's orchestrator-direct mode signs with the public
    // development key (libs/testing), so the services get that one: a bench, never a deployment.
    INTERNAL_AUTH_SECRET: developmentInternalAuthSecret().toString('base64'),
    LOG_LEVEL: 'error',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    ...extraEnv,
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
    floorUrl,
    chatUrl: chat.url,
    token: session.accessToken,
    simulatorUrl,
    internalHeaders,
  };
  return platform;
}

export async function createConversation(
  platform: { gatewayUrl: string; token: string },
  title = 'bench',
): Promise<string> {
  const res = await fetch(`${platform.gatewayUrl}/api/v1/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`creating a conversation answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
