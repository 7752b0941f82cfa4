import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCapsKey, billingReservationsKey, billingReservedKey } from '@parley/contracts';
import {
  freePort,
  LlmSimulator,
  PlatformProcesses,
  ServiceProcess,
  sharedStripeMock,
  StripeRecorder,
  waitFor,
} from '@parley/testing';

/** ~40 s of answer unless stopped: each admitted answer holds its reservation while the others are judged. */
const LONG = { chunks: Array.from({ length: 400 }, (_, i) => ` w${i}`), tokenDelayMs: 100 };
/** CHAT_CONTEXT_BUDGET_TOKENS 1000 in and CHAT_MAX_OUTPUT_TOKENS 100 out at $15 / $75 per million. */
const WORST = 1000 * 15 + 100 * 75;

/**
 * The strict budget cap through the whole platform, as processes: two gateways, each in front of
 * its own chat-orchestrator, billing consuming the usage into its ledger and writing the gate and
 * the caps, all on one database, Redis and Kafka. A budget set through the API with room for 3
 * answers at worst case; 8 answers sent at once over both pairs: exactly 3 reach the provider, 5
 * are refused `budget_exceeded`; once they end, the ledger holds the 3, its total is under the
 * cap, and billing has released every reservation (each cost counted once, as spent).
 */
describe('the strict budget cap across chat replicas and the billing ledger', () => {
  let sim: LlmSimulator;
  let recorder: StripeRecorder;
  let platform: PlatformProcesses;
  const extra: ServiceProcess[] = [];
  let gw1: string;
  let gw2: string;
  let token: string;
  let tenantId: string;
  let pg: Client;
  let redis: Redis;

  const call = async (api: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: { id?: string; stopped?: boolean; error?: { code: string } } = text ? JSON.parse(text) : {};
    return { status: res.status, body: parsed };
  };

  beforeAll(async () => {
    sim = await LlmSimulator.start();
    recorder = await StripeRecorder.start((await sharedStripeMock()).env);
    const orchestratorEnv = {
      CHAT_PROVIDER_CHAIN: 'anthropic',
      ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-strict-cap',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
      CHAT_PROVIDER_MAX_RETRIES: '0',
      CHAT_CONTEXT_BUDGET_TOKENS: '1000',
      CHAT_MAX_OUTPUT_TOKENS: '100',
    };
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'billing', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        tenant: { PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000', PLAN_FREE_TOKENS_PER_MONTH: '1000000' },
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': orchestratorEnv,
        billing: {
          BILLING_ENABLED: 'true',
          STRIPE_SECRET_KEY: 'sk_test_strictcap',
          STRIPE_API_BASE: recorder.url,
          STRIPE_WEBHOOK_SECRET: 'whsec_strictcap0001',
          STRIPE_PRICE_ID_PRO: 'price_capPro',
          STRIPE_PRICE_ID_ENTERPRISE: 'price_capEnterprise',
          STRIPE_PRICE_ID_SEAT: 'price_capSeat',
        },
      },
    });
    const orchestrator2 = new ServiceProcess('chat-orchestrator', await freePort(), {
      ...platform.env,
      ...orchestratorEnv,
    }).start();
    extra.push(orchestrator2);
    await orchestrator2.waitReady(90_000);
    const { DATABASE_URL: _db, ...gatewayEnv } = platform.env;
    const gateway2 = new ServiceProcess('gateway', await freePort(), {
      ...gatewayEnv,
      AUTH_JWKS_URL: `${platform.url('auth')}/.well-known/jwks.json`,
      AUTH_SERVICE_URL: platform.url('auth'),
      TENANT_SERVICE_URL: platform.url('tenant'),
      CHAT_SERVICE_URL: orchestrator2.url,
      BILLING_SERVICE_URL: platform.url('billing'),
    }).start();
    extra.push(gateway2);
    await gateway2.waitReady(90_000);
    gw1 = platform.url('gateway');
    gw2 = gateway2.url;
    const slug = `cap-${randomUUID().slice(0, 8)}`;
    const signUp = await fetch(`${gw1}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Strict cap',
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    const signed = (await signUp.json()) as { accessToken: string; tenant: { id: string } };
    token = signed.accessToken;
    tenantId = signed.tenant.id;
    pg = new Client({ connectionString: platform.db.url });
    await pg.connect();
    redis = new Redis(platform.env.REDIS_URL as string);
  }, 300_000);

  afterAll(async () => {
    redis?.disconnect();
    await pg?.end();
    for (const service of extra) await service.stop();
    await platform?.stop();
    await recorder?.close();
    await sim?.close();
  });

  it('8 answers at once over two replicas, room for 3 at worst case: 3 run, 5 refused, the ledger under the cap, nothing left reserved', async () => {
    const cap = 3 * WORST + Math.floor(WORST / 2);
    const put = await call(gw1, 'PUT', '/api/v1/billing/budgets', { scope: 'tenant', monthlyCapMicros: cap });
    expect(put.status).toBe(200);
    expect((await redis.hget(billingCapsKey(tenantId), 'tenant'))?.split(' ').slice(0, 2)).toEqual([String(cap), '0']);
    sim.when({ promptIncludes: 'strict-cap' }, LONG);
    const apis = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? gw1 : gw2));
    const ids: string[] = [];
    for (const api of apis)
      ids.push(String((await call(api, 'POST', '/api/v1/conversations', { title: 'cap' })).body.id));
    const done: ({ status: number; body: { error?: { code: string } } } | null)[] = apis.map(() => null);
    const answers = apis.map((api, i) =>
      call(api, 'POST', `/api/v1/conversations/${ids[i]}/messages`, { content: `strict-cap ${i}` }).then(
        (res) => (done[i] = res),
      ),
    );
    await waitFor(
      () =>
        done.filter((res) => res?.status === 429).length +
          sim.requests.filter((r) => r.prompt.includes('strict-cap')).length ===
        8,
      { what: 'every answer admitted or refused', timeoutMs: 60_000 },
    );
    const refused = done.filter((res) => res !== null);
    expect(refused.map((res) => [res?.status, res?.body.error?.code])).toEqual(
      Array.from({ length: 5 }, () => [429, 'budget_exceeded']),
    );
    const running = ids.filter((_, i) => done[i] === null);
    expect(running).toHaveLength(3);
    for (const id of running) {
      await waitFor(async () => (await call(gw1, 'POST', `/api/v1/conversations/${id}/stop`)).body?.stopped === true);
    }
    await Promise.all(answers);
    expect(sim.requests.filter((r) => r.prompt.includes('strict-cap'))).toHaveLength(3);

    // The ledger gets the three; billing's sync moves each from reserved to spent.
    const ledger = await waitFor(
      async () => {
        const { rows } = await pg.query<{ n: string; total: string }>(
          `SELECT count(*)::text AS n, coalesce(sum(cost_micros), 0)::text AS total
             FROM billing.usage_ledger WHERE tenant_id = $1`,
          [tenantId],
        );
        return rows[0]?.n === '3' && rows[0];
      },
      { what: 'three answers in the ledger', timeoutMs: 60_000 },
    );
    expect(Number(ledger.total)).toBeGreaterThan(0);
    expect(Number(ledger.total)).toBeLessThanOrEqual(cap);
    await waitFor(async () => (await redis.hlen(billingReservationsKey(tenantId))) === 0, {
      what: 'every reservation released by billing',
      timeoutMs: 30_000,
    });
    expect(await redis.hgetall(billingReservedKey(tenantId))).toEqual({});
    expect((await redis.hget(billingCapsKey(tenantId), 'tenant'))?.split(' ')[1]).toBe(ledger.total);
  });
});
