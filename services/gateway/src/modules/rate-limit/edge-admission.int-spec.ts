import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionRevocations } from '@parley/tenancy';
import { uniqueSuffix, waitFor } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { PrivateRedis } from '../../testing/private-redis';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

const PRINCIPAL_LIMIT = 4;
const FAILURE_LIMIT = 2;

const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('one Redis round trip per authenticated request (a private Redis, watched with MONITOR)', () => {
  let auth: AuthStandIn;
  let redis: PrivateRedis;
  let gateway: RunningGateway;
  let client: Redis;
  let monitor: Redis;
  const seen: string[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      REDIS_URL: redis.url,
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      TRUST_PROXY_HOPS: '1',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      RATE_LIMIT_PRINCIPAL_FREE: String(PRINCIPAL_LIMIT),
      RATE_LIMIT_TENANT_FREE: '1000',
      AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
    });
    client = new Redis(redis.url);
    monitor = await new Redis(redis.url).monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Commands a script runs show with the source `lua`: they are part of the script's round trip.
      if (source !== 'lua') seen.push(args.map((a) => String(a).toLowerCase()).join(' '));
    });
  });

  afterAll(async () => {
    monitor?.disconnect();
    client?.disconnect();
    await gateway?.close();
    await auth?.close();
    await redis?.stop();
  });

  /** The commands Redis received while `work` ran (a marker after it proves every earlier one was seen). */
  async function commandsDuring(work: () => Promise<void>): Promise<string[]> {
    const from = seen.length;
    await work();
    const marker = `marker-${uniqueSuffix()}`;
    await client.echo(marker);
    await waitFor(async () => seen.some((c) => c.includes(marker)), { what: 'the marker in MONITOR' });
    return seen.slice(from).filter((c) => !c.includes(marker));
  }

  const me = (token: string, address = someAddress()) =>
    fetch(`${gateway.url}/api/v1/me`, { headers: { ...bearer(token), 'x-forwarded-for': address } });
  const userToken = (tenantId: string, sub: string, sid: string) => auth.mint({ tid: tenantId, sub, sid });

  it('asks one script per request: the address, the session and the rate limit are checked and counted together', async () => {
    const token = await userToken(randomUUID(), `user-${uniqueSuffix()}`, randomUUID());
    expect((await me(token)).status).toBe(200); // verified now, and remembered
    const remaining: (string | null)[] = [];
    const commands = await commandsDuring(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await me(token);
        expect(res.status).toBe(200);
        remaining.push(res.headers.get('ratelimit-remaining'));
      }
    });
    expect(remaining).toEqual(['2', '1', '0']);
    // The tenant's status is re-read beside the script (concurrently) when this replica's copy is older than 2 s.
    const perRequest = commands.filter((c) => !c.startsWith('mget '));
    expect(perRequest.map((c) => c.split(' ')[0])).toEqual(['evalsha', 'evalsha', 'evalsha']);
    // Each names the address's refused-credentials counter, the session's revocation key and both buckets.
    for (const command of perRequest) {
      expect(command).toContain(':revoked-session:');
      expect(command).toContain('platform:ratelimit:auth-failures:');
      expect(command).toContain(':ratelimit:tenant');
    }
  });

  it('answers a refused address (429) before a revoked session (401) before the rate limit (429)', async () => {
    const tenantId = randomUUID();
    const sessionId = randomUUID();
    const token = await userToken(tenantId, `user-${uniqueSuffix()}`, sessionId);
    const address = someAddress();
    for (let i = 0; i < PRINCIPAL_LIMIT; i++) expect((await me(token, address)).status).toBe(200);
    const limited = await me(token, address);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited)).error.code).toBe('rate_limited');

    await new SessionRevocations(client).revoke([{ tenantId, sessionId }], 60);
    const revoked = await me(token, address);
    expect(revoked.status).toBe(401);
    expect((await json(revoked)).error.code).toBe('session_revoked');
    expect(revoked.headers.get('ratelimit-limit')).toBeNull();

    for (let i = 0; i < FAILURE_LIMIT; i++) {
      const res = await fetch(`${gateway.url}/api/v1/me`, {
        headers: { authorization: 'Bearer not-a-token', 'x-forwarded-for': address },
      });
      expect(res.status).toBe(401);
    }
    const refused = await me(token, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await json(refused);
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toContain('refused credentials');
  });

  it("does not count a revoked session's requests against the member's rate limit", async () => {
    const tenantId = randomUUID();
    const sub = `user-${uniqueSuffix()}`;
    const first = randomUUID();
    const revokedToken = await userToken(tenantId, sub, first);
    expect((await me(revokedToken)).headers.get('ratelimit-remaining')).toBe(String(PRINCIPAL_LIMIT - 1));
    await new SessionRevocations(client).revoke([{ tenantId, sessionId: first }], 60);
    for (let i = 0; i < PRINCIPAL_LIMIT; i++) expect((await me(revokedToken)).status).toBe(401);
    const other = await me(await userToken(tenantId, sub, randomUUID()));
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe(String(PRINCIPAL_LIMIT - 2));
  });
});
