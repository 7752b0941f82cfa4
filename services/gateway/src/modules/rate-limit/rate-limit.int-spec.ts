import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { PrivateRedis } from '../../testing/private-redis';
import { bearer, json, markTenantStatusesSeeded, startGateway, type RunningGateway } from '../../testing/start-gateway';

const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_TENANT_FREE: '12',
  RATE_LIMIT_PRINCIPAL_FREE: '5',
};

/** Fires all requests at once and sorts the answers. */
async function burst(requests: (() => Promise<Response>)[]) {
  const answers = await Promise.all(requests.map((r) => r()));
  const admitted = answers.filter((r) => r.status === 200);
  const limited = answers.filter((r) => r.status === 429);
  expect(admitted.length + limited.length).toBe(answers.length);
  return { admitted, limited };
}

const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

const metric = async (gateway: RunningGateway, pattern: RegExp) =>
  Number(pattern.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? NaN);

describe('rate limits shared by two gateway instances through Redis', () => {
  let auth: AuthStandIn;
  let gateways: RunningGateway[];
  const me = (i: number, token: string) => () => fetch(`${gateways[i % 2]?.url}/api/v1/me`, { headers: bearer(token) });

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    const env = { ...LIMITS, TRUST_PROXY_HOPS: '1', AUTH_JWKS_URL: auth.jwksUrl, AUTH_SERVICE_URL: auth.url };
    gateways = await Promise.all([startGateway(env), startGateway(env)]);
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((g) => g.close()));
    await auth?.close();
  });

  it('admits exactly the per-user limit of 3× concurrent requests across both; 429s say when to retry', async () => {
    const token = await auth.mint({ tid: randomUUID(), sub: 'user-a' });
    const { admitted, limited } = await burst(Array.from({ length: 15 }, (_, i) => me(i, token)));
    expect(admitted).toHaveLength(5);
    expect(limited).toHaveLength(10);
    for (const res of limited) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
      expect((await json(res)).error.code).toBe('rate_limited');
    }
    const remaining = admitted.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
    expect(Number(admitted[0]?.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
  });

  it('admits at most the tenant limit over many users of one tenant, and never touches another tenant', async () => {
    const tenant = randomUUID();
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, u) => auth.mint({ tid: tenant, sub: `user-${u}` })));
    const requests = tokens.flatMap((token) => Array.from({ length: 5 }, (_, i) => me(i, token)));
    const { admitted } = await burst(requests);
    expect(admitted).toHaveLength(12);

    const other = await auth.mint({ tid: randomUUID(), sub: 'user-0' });
    expect((await me(0, other)()).status).toBe(200);
  });

  it('counts unauthenticated sign-ins per client address; spoofed X-Forwarded-For entries change nothing', async () => {
    const proxySaw = someAddress();
    const signIn = (i: number) => () =>
      fetch(`${gateways[i % 2]?.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        // TRUST_PROXY_HOPS=1: the last entry is what our proxy saw; the ones before it are the client's own.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `${someAddress()}, ${proxySaw}` },
        body: JSON.stringify({ email: 'a@example.com', password: 'x' }),
      });
    const { admitted } = await burst(Array.from({ length: 15 }, (_, i) => signIn(i)));
    expect(admitted).toHaveLength(5);
    expect(auth.received.filter((r) => r.headers['x-forwarded-for'] === proxySaw)).toHaveLength(5);
  });

  it('keys authenticated calls on the principal, never on the address', async () => {
    const token = await auth.mint({ tid: randomUUID(), sub: 'user-b' });
    const requests = Array.from(
      { length: 10 },
      (_, i) => () =>
        fetch(`${gateways[i % 2]?.url}/api/v1/me`, {
          headers: { ...bearer(token), 'x-forwarded-for': `${someAddress()}, ${someAddress()}` },
        }),
    );
    expect((await burst(requests)).admitted).toHaveLength(5);
  });

  it('counts its decisions in metrics, with the fallback off', async () => {
    const gateway = gateways[0] as RunningGateway;
    expect(await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)).toBe(0);
    expect(await metric(gateway, /^rate_limit_decisions_total\{decision="limited"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    const ready = await json(fetch(`${gateway.url}/health/ready`));
    expect(ready.checks.redis.status).toBe('up');
  });
});

describe('when Redis is down', () => {
  let auth: AuthStandIn;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
  });

  afterAll(async () => {
    await auth?.close();
  });

  it('limits with the in-process fallback from the start, stays ready, says so, and recovers when Redis comes', async () => {
    const redis = await PrivateRedis.create({ started: false });
    const gateway = await startGateway({
      ...LIMITS,
      REDIS_URL: redis.url,
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
    });
    try {
      const token = await auth.mint({ tid: randomUUID() });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${gateway.url}/api/v1/me`, { headers: bearer(token) });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const ready = await fetch(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect((await json(ready)).checks.redis).toMatchObject({ status: 'degraded', error: expect.any(String) });
      expect(await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)).toBe(1);

      await redis.start();
      await markTenantStatusesSeeded(redis.url); // what the tenant service does for a fresh Redis
      await waitFor(
        async () =>
          (await fetch(`${gateway.url}/api/v1/me`, { headers: bearer(await auth.mint({ tid: randomUUID() })) }))
            .status === 200 && (await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)) === 0,
        { timeoutMs: 15_000, what: 'the limiter on Redis once it is up' },
      );
    } finally {
      await gateway.close();
      await redis.stop();
    }
  });

  it('falls back when Redis stops under a running gateway, and shares limits again when it is back', async () => {
    const redis = await PrivateRedis.create();
    const gateway = await startGateway({
      ...LIMITS,
      REDIS_URL: redis.url,
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
    });
    try {
      const call = async () =>
        (await fetch(`${gateway.url}/api/v1/me`, { headers: bearer(await auth.mint({ tid: randomUUID() })) })).status;
      expect(await call()).toBe(200);
      expect(await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)).toBe(0);

      await redis.stop();
      const started = performance.now();
      expect(await call()).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)).toBe(1);
      const degraded = await fetch(`${gateway.url}/health/ready`);
      expect(degraded.status).toBe(200);
      expect((await json(degraded)).checks.redis.status).toBe('degraded');

      await redis.start();
      await markTenantStatusesSeeded(redis.url); // what the tenant service does for a fresh Redis
      await waitFor(
        async () =>
          (await call()) === 200 && (await metric(gateway, /^rate_limit_fallback_active\{[^}]*\} (\d+)/m)) === 0,
        {
          timeoutMs: 15_000,
          what: 'the limiter back on Redis',
        },
      );
      expect((await json(fetch(`${gateway.url}/health/ready`))).checks.redis.status).toBe('up');
    } finally {
      await gateway.close();
      await redis.stop();
    }
  });
});
