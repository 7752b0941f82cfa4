import 'reflect-metadata';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_KEY_SCOPES } from '@parley/contracts';
import { PlatformProcesses, waitFor } from '@parley/testing';
import {
  call,
  createApiKey,
  PLATFORM_TEST_ENV,
  revokeApiKey,
  signUpOwner,
  type SignedUpOwner,
} from '../../testing/http-call';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

interface OpenSocket {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
  closedWith: { code: number; reason: string } | undefined;
}

/**
 * What an API key may do once verified: scopes on routes that require one, and WebSockets that
 * stop working when their key is revoked. Real tenant and auth services, two gateway replicas.
 */
describe('API key scopes and revocation at the gateway (the real auth and tenant services)', () => {
  let services: PlatformProcesses;
  let gateways: RunningGateway[] = [];
  let acme: SignedUpOwner;
  let globex: SignedUpOwner;
  let pg: Client;
  const sockets: WebSocket[] = [];

  const authUrl = () => services.url('auth');
  const gateway = () => gateways[0] as RunningGateway;
  const get = (path: string, headers: Record<string, string>, on = gateway()) => fetch(`${on.url}${path}`, { headers });

  /** A key with these scopes for the test's duration (free plans allow two active keys: revoked after). */
  async function withKey(owner: SignedUpOwner, scopes: string[], use: (key: string, id: string) => Promise<void>) {
    const { id, key } = await createApiKey(authUrl(), owner, scopes);
    try {
      await use(key, id);
    } finally {
      await revokeApiKey(authUrl(), owner, id).catch(() => undefined); // already revoked by the test is fine
    }
  }

  function openSocket(on: RunningGateway, key: string): Promise<OpenSocket> {
    const ws = new WebSocket(`${on.url.replace('http', 'ws')}/ws`, { headers: { 'x-api-key': key } });
    sockets.push(ws);
    const socket: OpenSocket = { ws, messages: [], closed: undefined as never, closedWith: undefined };
    ws.on('message', (data: Buffer) =>
      socket.messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
    );
    socket.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        socket.closedWith = { code, reason: reason.toString() };
        resolve(socket.closedWith);
      }),
    );
    return new Promise((resolve, reject) => {
      ws.on('open', () => resolve(socket));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  beforeAll(async () => {
    services = await PlatformProcesses.start({ services: ['tenant', 'auth'], env: PLATFORM_TEST_ENV });
    const extra = {
      DEPLOYMENT_MODE: 'cloud',
      AUTH_SERVICE_URL: authUrl(),
      AUTH_JWKS_URL: `${authUrl()}/.well-known/jwks.json`,
    };
    gateways = [await startGateway(extra, services.topicPrefix), await startGateway(extra, services.topicPrefix)];
    acme = await signUpOwner(authUrl(), 'Acme');
    globex = await signUpOwner(authUrl(), 'Globex');
    pg = new Client({ connectionString: services.db.url });
    await pg.connect();
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await pg?.end();
    for (const g of gateways) await g.close();
    await services?.stop();
  });

  describe('scopes', () => {
    it('refuses GET /api/v1/tenant to a key without tenant:read: 403 insufficient_scope naming the scope', async () => {
      await withKey(acme, ['chat:read', 'chat:write', 'stats:read'], async (key) => {
        for (const headers of [{ 'x-api-key': key }, bearer(key)]) {
          const res = await get('/api/v1/tenant', headers);
          expect(res.status).toBe(403);
          const body = await json(res);
          expect(body.error).toMatchObject({ code: 'insufficient_scope', details: { requiredScope: 'tenant:read' } });
          expect(JSON.stringify(body)).not.toContain(acme.tenantId);
        }
      });
    });

    it('lets the same key reach /api/v1/me, which needs no scope', async () => {
      await withKey(acme, ['chat:read'], async (key, id) => {
        const res = await get('/api/v1/me', { 'x-api-key': key });
        expect(res.status).toBe(200);
        expect(await json(res)).toMatchObject({ kind: 'api-key', apiKeyId: id, tenantId: acme.tenantId });
      });
    });

    it("lets a key with tenant:read read its own tenant, and another tenant's key only its own", async () => {
      await withKey(acme, ['tenant:read'], async (acmeKey) => {
        await withKey(globex, ['tenant:read'], async (globexKey) => {
          const mine = await get('/api/v1/tenant', { 'x-api-key': acmeKey });
          expect(mine.status).toBe(200);
          expect((await json(mine)).tenantId).toBe(acme.tenantId);
          const theirs = await get('/api/v1/tenant', { 'x-api-key': globexKey }, gateways[1]);
          expect(theirs.status).toBe(200);
          expect((await json(theirs)).tenantId).toBe(globex.tenantId);
        });
      });
    });

    it('lets a key holding * through every scoped route', async () => {
      await withKey(globex, ['*'], async (key) => {
        const res = await get('/api/v1/tenant', { 'x-api-key': key });
        expect(res.status).toBe(200);
        expect((await json(res)).tenantId).toBe(globex.tenantId);
      });
    });

    it('leaves people alone: an access token reads the tenant whatever the scopes', async () => {
      const res = await get('/api/v1/tenant', bearer(acme.accessToken));
      expect(res.status).toBe(200);
      expect((await json(res)).tenantId).toBe(acme.tenantId);
    });

    it('issues keys with every scope of the vocabulary', async () => {
      await withKey(acme, [...API_KEY_SCOPES], async (key) => {
        const me = await json(get('/api/v1/me', { 'x-api-key': key }));
        expect([...(me.scopes as string[])].sort()).toEqual([...API_KEY_SCOPES].sort());
      });
    });
  });

  describe('WebSockets', () => {
    it("closes every replica's socket of a revoked key with 4401, and leaves another key's socket open", async () => {
      await withKey(acme, ['chat:read'], async (revokedKey, revokedId) => {
        await withKey(globex, ['chat:read'], async (otherKey) => {
          const doomed = await Promise.all(gateways.map((g) => openSocket(g, revokedKey)));
          const survivor = await openSocket(gateway(), otherKey);
          for (const socket of [...doomed, survivor]) {
            await waitFor(() => socket.messages[0], { what: 'session.ready' });
            expect(socket.messages[0]).toMatchObject({ type: 'session.ready', kind: 'api-key' });
          }
          await revokeApiKey(authUrl(), acme, revokedId);
          for (const socket of doomed) {
            await waitFor(() => socket.closedWith, { what: 'the revoked key’s socket to close', timeoutMs: 30_000 });
            expect(await socket.closed).toEqual({ code: 4401, reason: 'invalid_api_key' });
          }
          expect(survivor.ws.readyState).toBe(WebSocket.OPEN);
          survivor.ws.send(JSON.stringify({ type: 'ping' }));
          await waitFor(() => survivor.messages[1], { what: 'pong' });
          expect(survivor.messages[1]).toEqual({ type: 'pong' });
          // HTTP agrees: the revoked key is refused.
          expect((await get('/api/v1/me', { 'x-api-key': revokedKey })).status).toBe(401);
          survivor.ws.close();
        });
      });
    });

    it('refuses the upgrade of a key that is already revoked', async () => {
      const { id, key } = await createApiKey(authUrl(), globex, ['chat:read']);
      await revokeApiKey(authUrl(), globex, id);
      await waitFor(
        async () => (await call(`${gateway().url}/api/v1/me`, 'GET', { headers: { 'x-api-key': key } })).status === 401,
        {
          what: 'the revocation to reach the gateway',
          timeoutMs: 30_000,
        },
      );
      await expect(openSocket(gateway(), key)).rejects.toThrow(/upgrade refused with 401/);
    });
  });
});
