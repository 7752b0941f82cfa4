import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { uniqueSuffix, waitFor } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { startGateway, type RunningGateway } from '../../testing/start-gateway';
import { TenantStatusStore } from '../tenant-status/tenant-status.store';
import { MAX_PAYLOAD_BYTES, MAX_SOCKETS_PER_PRINCIPAL } from './realtime-messages';
import { RealtimeHub } from './realtime.hub';

const TENANT_A = '3b0f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f';
const TENANT_B = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const ALLOWED_ORIGIN = 'https://app.parley.test';

interface Client {
  ws: WebSocket;
  protocol: string;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

/** The HTTP answer to a refused upgrade. */
class Refusal extends Error {
  constructor(
    readonly status: number | undefined,
    readonly body: { error: { code: string; message: string; requestId: string } },
  ) {
    super(`upgrade refused with ${status}`);
  }
}

describe('gateway WebSocket /ws (tokens from a real JWKS over HTTP)', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;
  let wsUrl: string;
  const open: WebSocket[] = [];

  /** Connects; resolves with the socket once open, or rejects with the HTTP refusal of the upgrade. */
  function connect(
    options: { protocols?: string[]; headers?: Record<string, string>; path?: string } = {},
  ): Promise<Client> {
    const ws = new WebSocket(`${wsUrl}${options.path ?? '/ws'}`, options.protocols ?? [], {
      headers: options.headers,
    });
    open.push(ws);
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    return new Promise((resolve, reject) => {
      ws.on('open', () => resolve({ ws, protocol: ws.protocol, messages, closed }));
      ws.on('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          reject(new Refusal(res.statusCode, JSON.parse(text || 'null') as Refusal['body']));
        });
      });
      ws.on('error', (error) => reject(error));
    });
  }

  const withToken = async (tid: string, sub = `user-${uniqueSuffix()}`) =>
    connect({ protocols: ['bearer', await auth.mint({ tid, sub })] });

  const nextMessage = async (client: Client, index: number) => {
    await waitFor(() => client.messages.length > index, { what: `message #${index}`, timeoutMs: 5000 });
    const message = client.messages[index];
    if (message === undefined) throw new Error(`no message #${index}`);
    return message;
  };

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      CORS_ORIGINS: ALLOWED_ORIGIN,
    });
    wsUrl = gateway.url.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    for (const ws of open) ws.terminate();
    await gateway?.close();
    await auth?.close();
  });

  it('accepts the Origin of the web app this gateway serves (the host the browser connected to), not a look-alike', async () => {
    const token = await auth.mint({ tid: TENANT_A, sub: 'user-43' });
    const host = new URL(wsUrl).host;
    const same = await connect({ protocols: ['bearer', token], headers: { origin: `http://${host}` } });
    expect(await nextMessage(same, 0)).toMatchObject({ type: 'session.ready', tenantId: TENANT_A });
    await expect(
      connect({ protocols: ['bearer', token], headers: { origin: `http://${host}.evil.example` } }),
    ).rejects.toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it('opens with a token in the bearer subprotocol: echoes the subprotocol, sends session.ready with its tenant, answers ping', async () => {
    const token = await auth.mint({ tid: TENANT_A, sub: 'user-42' });
    const client = await connect({ protocols: ['bearer', token], headers: { origin: ALLOWED_ORIGIN } });
    expect(client.protocol).toBe('bearer');
    const ready = await nextMessage(client, 0);
    expect(ready).toMatchObject({ type: 'session.ready', tenantId: TENANT_A, userId: 'user-42', kind: 'user' });
    expect(Date.parse(ready.expiresAt as string)).toBeGreaterThan(Date.now());

    client.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await nextMessage(client, 1)).toEqual({ type: 'pong' });
    client.ws.send(JSON.stringify({ type: 'subscribe' }));
    expect(await nextMessage(client, 2)).toEqual({ type: 'error', code: 'unknown_message' });
    client.ws.send('{not json');
    expect(await nextMessage(client, 3)).toEqual({ type: 'error', code: 'malformed_message' });
    client.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await nextMessage(client, 4)).toEqual({ type: 'pong' }); // still open
    client.ws.close();
  });

  it('accepts the token in the access_token query parameter (no Origin: a non-browser client)', async () => {
    const token = await auth.mint({ tid: TENANT_B, sub: 'user-7' });
    const client = await connect({ path: `/ws?access_token=${token}` });
    expect(await nextMessage(client, 0)).toMatchObject({ type: 'session.ready', tenantId: TENANT_B, userId: 'user-7' });
    client.ws.close();
  });

  it('accepts an API key as an api-key principal of its tenant', async () => {
    auth.reply = (req) =>
      req.url === '/internal/api-keys/verify'
        ? { status: 200, body: { keyId: 'key-1', tenantId: TENANT_A, scopes: [], plan: 'free', expiresAt: null } }
        : undefined;
    try {
      const client = await connect({ protocols: ['bearer', 'pk_test_abcdefgh'] });
      expect(await nextMessage(client, 0)).toEqual({
        type: 'session.ready',
        tenantId: TENANT_A,
        userId: null,
        kind: 'api-key',
        expiresAt: null,
      });
      client.ws.close();
    } finally {
      auth.reply = undefined;
    }
  });

  it.each<[string, () => Promise<Parameters<typeof connect>[0]>, number, string]>([
    ['no credentials', async () => ({}), 401, 'authentication_required'],
    [
      'a tampered token',
      async () => ({ protocols: ['bearer', `${await auth.mint({ tid: TENANT_A })}x`] }),
      401,
      'invalid_access_token',
    ],
    [
      'an expired token',
      async () => ({
        protocols: ['bearer', await auth.mint({ tid: TENANT_A }, { expiresAt: Math.floor(Date.now() / 1000) - 120 })],
      }),
      401,
      'access_token_expired',
    ],
    [
      'two credentials at once',
      async () => ({
        protocols: ['bearer', await auth.mint({ tid: TENANT_A })],
        headers: { authorization: 'Bearer x.y.z' },
      }),
      401,
      'invalid_access_token',
    ],
    [
      'a disallowed Origin',
      async () => ({
        protocols: ['bearer', await auth.mint({ tid: TENANT_A })],
        headers: { origin: 'https://evil.example' },
      }),
      403,
      'forbidden',
    ],
    [
      'a spoofed X-Tenant-ID',
      async () => ({ protocols: ['bearer', await auth.mint({ tid: TENANT_A })], headers: { 'x-tenant-id': TENANT_B } }),
      400,
      'tenant_header_not_allowed',
    ],
    [
      'another path',
      async () => ({ path: '/socket', protocols: ['bearer', await auth.mint({ tid: TENANT_A })] }),
      404,
      'route_not_found',
    ],
  ])('refuses the upgrade with %s, as an HTTP problem and no socket', async (_what, options, status, code) => {
    const refusal = (await connect(await options()).then(
      () => expect.fail('the upgrade was accepted'),
      (error: unknown) => error,
    )) as Refusal;
    expect(refusal.status).toBe(status);
    expect(refusal.body.error.code).toBe(code);
    expect(refusal.body.error.requestId).toEqual(expect.any(String));
  });

  it('refuses a suspended tenant with 403 tenant_suspended', async () => {
    const tenant = crypto.randomUUID();
    await gateway.app.get(TenantStatusStore).set(tenant, 'suspended');
    await expect(withToken(tenant)).rejects.toMatchObject({
      status: 403,
      body: { error: { code: 'tenant_suspended' } },
    });
  });

  it('closes the socket with 1009 on a frame larger than 64 KiB', async () => {
    const client = await withToken(TENANT_A);
    await nextMessage(client, 0);
    client.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_PAYLOAD_BYTES) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('refuses more than the per-principal number of sockets with 429', async () => {
    const token = await auth.mint({ tid: TENANT_A, sub: `user-${uniqueSuffix()}` });
    const clients = await Promise.all(
      Array.from({ length: MAX_SOCKETS_PER_PRINCIPAL }, () => connect({ protocols: ['bearer', token] })),
    );
    await expect(connect({ protocols: ['bearer', token] })).rejects.toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
    const [first] = clients;
    if (!first) throw new Error('no sockets opened');
    first.ws.close();
    await first.closed;
    await waitFor(
      async () =>
        connect({ protocols: ['bearer', token] }).then(
          () => true,
          () => false,
        ),
      { what: 'a slot after a close', timeoutMs: 5000 },
    );
    for (const client of clients) client.ws.close();
  });

  it('closes with 4401 token_expired when the access token expires', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const client = await connect({ protocols: ['bearer', await auth.mint({ tid: TENANT_A }, { expiresAt })] });
    expect(await nextMessage(client, 0)).toMatchObject({
      type: 'session.ready',
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    });
    const closed = await client.closed;
    expect(closed).toEqual({ code: 4401, reason: 'token_expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000);
  });

  it("sendToUser reaches tenant A's user socket and never tenant B's socket of the same user id", async () => {
    const sub = `user-${uniqueSuffix()}`;
    const mine = await withToken(TENANT_A, sub);
    const theirs = await withToken(TENANT_B, sub);
    await nextMessage(mine, 0);
    await nextMessage(theirs, 0);
    const delivered = gateway.app.get(RealtimeHub).sendToUser(TENANT_A, sub, { type: 'token', text: 'hello' });
    expect(delivered).toBe(1);
    expect(await nextMessage(mine, 1)).toEqual({ type: 'token', text: 'hello' });
    // A round trip on B's socket: anything sent to it before the pong would have arrived first.
    theirs.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await nextMessage(theirs, 1)).toEqual({ type: 'pong' });
    expect(theirs.messages.map((m) => m.type)).toEqual(['session.ready', 'pong']);
  });

  it('counts connections in the service metrics', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/ws_connections_total\{outcome="accepted",service="gateway"\} [1-9]/);
    expect(text).toMatch(/ws_connections_total\{outcome="unauthorized",service="gateway"\} [1-9]/);
    expect(text).toMatch(/ws_connections\{service="gateway"\} \d+/);
  });
});
