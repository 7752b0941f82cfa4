import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSseFrame } from '@parley/contracts';
import { freePort, verifyInternalPrincipal, waitFor } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { answerEvents, ChatStandIn, type SseSink } from '../../testing/chat-stand-in';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** An SSE request read as raw chunks, as they arrive. */
interface RawStream {
  res: IncomingMessage;
  chunks: Buffer[];
  text(): string;
  ended: Promise<void>;
  destroy(): void;
}

function openStream(url: string, headers: Record<string, string>, body: unknown): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        ...headers,
        accept: 'text/event-stream',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        res,
        chunks,
        text: () => Buffer.concat(chunks).toString('utf8'),
        ended,
        destroy: () => req.destroy(),
      });
    });
    req.end(payload);
  });
}

describe('chat over HTTP through the gateway (a chat-orchestrator stand-in behind it)', () => {
  let auth: AuthStandIn;
  let chat: ChatStandIn;
  let gateway: RunningGateway;
  const tenant = randomUUID();
  const user = randomUUID();
  let token: string;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    chat = await ChatStandIn.start();
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      CHAT_SERVICE_URL: chat.url,
    });
    token = await auth.mint({ tid: tenant, sub: user, role: 'admin', plan: 'pro' });
  });

  afterAll(async () => {
    await gateway?.close();
    await chat?.close();
    await auth?.close();
  });

  const api = (path: string, init: RequestInit = {}, credential = token) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: { ...bearer(credential), 'content-type': 'application/json', ...(init.headers as object) },
    });

  it('forwards the principal as a signed principal token and never a client header, with request id and a child trace', async () => {
    chat.reply = () => ({
      status: 200,
      headers: { 'x-internal': 'secret', 'set-cookie': 'a=b', 'cache-control': 'no-store' },
      body: { items: [], nextCursor: null },
    });
    const res = await api('/api/v1/conversations?limit=5&cursor=abc', {
      headers: {
        'x-request-id': 'req-chat-1',
        traceparent: TRACE,
        cookie: 'session=abc',
        'x-user-id': randomUUID(),
        'x-principal-role': 'owner',
        'x-principal-kind': 'api-key',
        'x-principal-plan': 'enterprise',
        'x-api-key-id': 'spoofed-key',
        'x-api-key-scopes': '*',
        'x-forwarded-for': '10.0.0.1',
      },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ items: [], nextCursor: null });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('x-request-id')).toBe('req-chat-1');

    const seen = chat.received.at(-1);
    expect(seen).toMatchObject({ method: 'GET', url: '/conversations?limit=5&cursor=abc' });
    expect(seen?.headers).toMatchObject({ 'x-request-id': 'req-chat-1', accept: 'application/json' });
    expect(await verifyInternalPrincipal(seen?.headers['x-parley-principal'] as string)).toMatchObject({
      tid: tenant,
      uid: user,
      sid: 'session-1',
      role: 'admin',
      knd: 'user',
      plan: 'pro',
      rid: 'req-chat-1',
    });
    expect(seen?.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(seen?.headers.traceparent).not.toBe(TRACE);
    for (const name of [
      'x-tenant-id',
      'x-user-id',
      'x-principal-role',
      'x-principal-kind',
      'x-api-key-id',
      'x-api-key-scopes',
      'cookie',
      'authorization',
      'x-forwarded-for',
    ]) {
      expect(seen?.headers[name], name).toBeUndefined();
    }
    chat.reply = undefined;
  });

  it('refuses a client X-Tenant-ID before anything is forwarded', async () => {
    const before = chat.received.length;
    const res = await api('/api/v1/conversations', { headers: { 'x-tenant-id': randomUUID() } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('tenant_header_not_allowed');
    expect(chat.received.length).toBe(before);
  });

  it('refuses a request without credentials before anything is forwarded', async () => {
    const before = chat.received.length;
    const res = await fetch(`${gateway.url}/api/v1/skills`);
    expect(res.status).toBe(401);
    expect(chat.received.length).toBe(before);
  });

  it('maps every public chat route to the orchestrator route, with its method, body and query', async () => {
    const id = randomUUID();
    const routes: [string, string, unknown, string][] = [
      ['POST', '/api/v1/conversations', { title: 'Hello' }, '/conversations'],
      ['GET', `/api/v1/conversations/${id}`, undefined, `/conversations/${id}`],
      ['PATCH', `/api/v1/conversations/${id}`, { title: 'Renamed' }, `/conversations/${id}`],
      ['DELETE', `/api/v1/conversations/${id}`, undefined, `/conversations/${id}`],
      ['GET', `/api/v1/conversations/${id}/messages?limit=2`, undefined, `/conversations/${id}/messages?limit=2`],
      ['POST', `/api/v1/conversations/${id}/messages`, { content: 'hi' }, `/conversations/${id}/messages`],
      ['POST', `/api/v1/conversations/${id}/stop`, {}, `/conversations/${id}/stop`],
      ['POST', `/api/v1/conversations/${id}/regenerate`, {}, `/conversations/${id}/regenerate`],
      ['POST', `/api/v1/conversations/${id}/resend`, { content: 'hi again' }, `/conversations/${id}/resend`],
      ['GET', '/api/v1/skills', undefined, '/skills'],
      ['POST', '/api/v1/skills', { name: 'R', command: '/r' }, '/skills'],
      ['GET', '/api/v1/skills/builtin:doc', undefined, '/skills/builtin%3Adoc'],
      ['PATCH', `/api/v1/skills/${id}`, { name: 'S' }, `/skills/${id}`],
      ['DELETE', `/api/v1/skills/${id}`, undefined, `/skills/${id}`],
      ['GET', '/api/v1/chat/providers', undefined, '/chat/providers'],
      ['PUT', '/api/v1/chat/providers/openai', { model: 'm' }, '/chat/providers/openai'],
      ['DELETE', '/api/v1/chat/providers/openai', undefined, '/chat/providers/openai'],
      ['GET', '/api/v1/chat/stats?from=2025-01-01&by=user', undefined, '/chat/stats?from=2025-01-01&by=user'],
      ['GET', '/api/v1/chat/quota', undefined, '/chat/quota'],
      ['GET', '/api/v1/chat/models', undefined, '/chat/models'],
      ['POST', `/api/v1/messages/${id}/feedback`, { rating: 'up' }, `/messages/${id}/feedback`],
      [
        'GET',
        '/api/v1/conversations?q=zebra%20%E5%8C%97&limit=5',
        undefined,
        '/conversations?q=zebra%20%E5%8C%97&limit=5',
      ],
    ];
    for (const [method, path, body, upstream] of routes) {
      const res = await api(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(res.status, `${method} ${path}`).toBe(200);
      const echo = (await json(res)).echo;
      expect(echo, `${method} ${path}`).toEqual({ method, url: upstream, body: body ?? null });
    }
    const send = chat.to('POST', `/conversations/${id}/messages`).at(-1);
    expect(send?.headers.accept).toBe('application/json'); // no SSE asked for: the answer comes when done
    expect(send?.headers['content-type']).toBe('application/json');
  });

  it('passes an orchestrator refusal through as it is: status, problem body and Retry-After', async () => {
    const problem = {
      error: { code: 'quota_exceeded', message: 'Monthly tokens used up', requestId: 'r', details: { limit: 1 } },
    };
    chat.reply = () => ({ status: 429, headers: { 'retry-after': '3600' }, body: problem });
    try {
      const res = await api(`/api/v1/conversations/${randomUUID()}/messages`, {
        method: 'POST',
        headers: { accept: 'text/event-stream' },
        body: JSON.stringify({ content: 'hi' }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3600');
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await json(res)).toEqual(problem);
    } finally {
      chat.reply = undefined;
    }
  });

  it('never lets a route parameter leave its segment', async () => {
    const before = chat.received.length;
    const res = await api('/api/v1/conversations/%2e%2e/messages');
    expect(res.status).toBe(404);
    const slash = await api('/api/v1/skills/a%2F..%2F..%2Finternal');
    expect(slash.status).toBe(200);
    expect(chat.received.slice(before).map((r) => r.url)).toEqual(['/skills/a%2F..%2F..%2Finternal']);
  });

  describe('streaming (Accept: text/event-stream)', () => {
    it('relays the SSE bytes as they come, unbuffered and unchanged, with streaming headers', async () => {
      const conversation = randomUUID();
      const events = answerEvents(conversation, ['Hel', 'lo ', 'wör', 'ld 👋']);
      let sink: SseSink | undefined;
      chat.reply = () => ({ open: (s) => (sink = s) });
      try {
        const stream = await openStream(
          `${gateway.url}/api/v1/conversations/${conversation}/messages`,
          { ...bearer(token), 'x-request-id': 'req-stream-1' },
          { content: 'hi' },
        );
        expect(stream.res.statusCode).toBe(200);
        expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        expect(stream.res.headers['cache-control']).toContain('no-cache');
        expect(stream.res.headers['x-accel-buffering']).toBe('no');
        expect(stream.res.headers['content-encoding']).toBeUndefined();
        expect(stream.res.headers['content-length']).toBeUndefined();
        expect(stream.res.headers['x-internal']).toBeUndefined();
        expect(stream.res.headers['x-request-id']).toBe('req-stream-1');
        // The head arrived before the orchestrator sent any event. Then each frame (the last one split
        // mid-character) reaches the client before the next is written: nothing waits for more.
        const frames = events.map(toSseFrame);
        const last = Buffer.from(frames.pop() ?? '', 'utf8');
        const pieces: Buffer[] = [...frames.map((f) => Buffer.from(f, 'utf8')), last.subarray(0, 7), last.subarray(7)];
        for (const piece of pieces) {
          sink?.write(piece);
          const want = Buffer.concat([...stream.chunks, piece]).length;
          await waitFor(() => Buffer.concat(stream.chunks).length >= want, { what: 'the piece at the client' });
        }
        sink?.end();
        await stream.ended;
        expect(Buffer.concat(stream.chunks).equals(Buffer.concat(pieces))).toBe(true);
        const seen = chat.received.at(-1);
        expect(seen?.headers.accept).toBe('text/event-stream');
        expect(JSON.parse(seen?.body ?? '')).toEqual({ content: 'hi' });
      } finally {
        chat.reply = undefined;
      }
    });

    it('destroys the upstream request when the client disconnects mid-stream', async () => {
      const conversation = randomUUID();
      const [started] = answerEvents(conversation, []);
      chat.reply = () => ({ open: (s) => started && s.event(started) });
      try {
        const stream = await openStream(`${gateway.url}/api/v1/conversations/${conversation}/messages`, bearer(token), {
          content: 'hi',
        });
        await waitFor(() => stream.text().includes('message.started'), { what: 'the first event' });
        const upstream = chat.to('POST', `/conversations/${conversation}/messages`)[0];
        expect(upstream?.aborted).toBe(false);
        stream.destroy();
        await waitFor(() => upstream?.aborted === true, { what: 'the upstream request aborted' });
      } finally {
        chat.reply = undefined;
      }
    });

    it('destroys the upstream request when the client leaves before the orchestrator answered', async () => {
      const conversation = randomUUID();
      chat.reply = () => ({ hang: true });
      try {
        const controller = new AbortController();
        const pending = fetch(`${gateway.url}/api/v1/conversations/${conversation}/messages`, {
          method: 'POST',
          headers: { ...bearer(token), accept: 'text/event-stream', 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'hi' }),
          signal: controller.signal,
        }).catch((error: unknown) => error);
        await waitFor(() => chat.to('POST', `/conversations/${conversation}/messages`).length === 1, {
          what: 'the request upstream',
        });
        controller.abort();
        await pending;
        const upstream = chat.to('POST', `/conversations/${conversation}/messages`)[0];
        await waitFor(() => upstream?.aborted === true, { what: 'the upstream request aborted' });
      } finally {
        chat.reply = undefined;
      }
    });
  });

  describe('API keys', () => {
    const keyId = randomUUID();
    let scopes: string[] = [];

    beforeAll(() => {
      auth.reply = (req) =>
        req.url === '/internal/api-keys/verify'
          ? { status: 200, body: { keyId, tenantId: tenant, scopes, plan: 'free', expiresAt: null } }
          : undefined;
    });

    afterAll(() => {
      auth.reply = undefined;
    });

    it('forward the key and its scopes, never a user id', async () => {
      scopes = ['chat:read', 'chat:write'];
      const res = await api('/api/v1/conversations', {}, `pk_${randomUUID().slice(0, 8)}_aaaaaaaaaaaa`);
      expect(res.status).toBe(200);
      const claims = await verifyInternalPrincipal(chat.received.at(-1)?.headers['x-parley-principal'] as string);
      expect(claims).toMatchObject({
        tid: tenant,
        knd: 'api-key',
        role: 'member',
        plan: 'free',
        akid: keyId,
        scp: ['chat:read', 'chat:write'],
      });
      expect(claims.uid).toBeUndefined();
    });

    it('refuse what the key has no scope for (403 insufficient_scope), before anything is forwarded', async () => {
      scopes = ['chat:read', 'skills:read'];
      const key = `pk_${randomUUID().slice(0, 8)}_bbbbbbbbbbbb`;
      const before = chat.received.length;
      const refused = [
        api(`/api/v1/conversations/${randomUUID()}/messages`, { method: 'POST', body: '{"content":"x"}' }, key),
        api('/api/v1/conversations', { method: 'POST', body: '{}' }, key),
        api('/api/v1/skills', { method: 'POST', body: '{}' }, key),
        api('/api/v1/chat/quota', {}, key),
      ];
      for (const res of await Promise.all(refused)) {
        expect(res.status).toBe(403);
        expect((await json(res)).error.code).toBe('insufficient_scope');
      }
      expect(chat.received.length).toBe(before);
      expect((await api('/api/v1/conversations', {}, key)).status).toBe(200);
      expect((await api('/api/v1/skills', {}, key)).status).toBe(200);
    });
  });
});

describe('chat when the orchestrator is down', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      CHAT_SERVICE_URL: `http://127.0.0.1:${await freePort()}`,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it('answers 503 service_unavailable, streaming or not', async () => {
    const token = await auth.mint({ tid: randomUUID(), sub: randomUUID() });
    for (const accept of ['application/json', 'text/event-stream']) {
      const res = await fetch(`${gateway.url}/api/v1/conversations/${randomUUID()}/messages`, {
        method: 'POST',
        headers: { ...bearer(token), accept, 'content-type': 'application/json' },
        body: '{"content":"hi"}',
      });
      expect(res.status).toBe(503);
      expect((await json(res)).error).toMatchObject({ code: 'service_unavailable', details: { service: 'chat' } });
    }
  });
});
