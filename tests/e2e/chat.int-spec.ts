import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { chatStreamEventSchema, type ChatStreamEvent } from '@parley/contracts';
import { LlmSimulator, PlatformProcesses, serviceFetch, waitFor } from '@parley/testing';

/**
 * Chat end to end, as a client sees it: the real gateway, auth, tenant and chat-orchestrator as
 * processes on the real Postgres, Redis and Kafka, an LlmSimulator as the provider (the global
 * chain is Anthropic's protocol; one tenant brings its own OpenAI-protocol key). Answers stream over
 * SSE and over the WebSocket, tenants never see each other's conversations or tokens, a client
 * that leaves aborts the provider call, the quota refuses before any provider call, and an API key
 * without `chat:write` cannot send.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Body = any;

interface Tenant {
  id: string;
  token: string;
  userId: string;
}

/** Reads `text/event-stream` frames (`event`, `id`, one `data` line each, as the platform writes them). */
function parseSse(text: string): ChatStreamEvent[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim().length > 0 && !frame.startsWith(':'))
    .map((frame) => {
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      return chatStreamEventSchema.parse(JSON.parse(data));
    });
}

/** The checks every complete answer passes: order, gapless seq and index, and the text (when given). */
function expectCompleteAnswer(events: ChatStreamEvent[], conversationId: string, text?: string): void {
  expect(events.map((e) => e.type)).toEqual([
    'message.started',
    ...events.slice(1, -1).map(() => 'token'),
    'message.completed',
  ]);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  const tokens = events.filter((e) => e.type === 'token');
  expect(tokens.map((t) => t.index)).toEqual(tokens.map((_, i) => i));
  if (text === undefined) expect(tokens.length).toBeGreaterThan(0);
  else expect(tokens.map((t) => t.text).join('')).toBe(text);
  const messageId = events[0]?.messageId;
  for (const event of events) expect(event).toMatchObject({ conversationId, messageId });
  expect(events.at(-1)).toMatchObject({ status: 'complete' });
}

interface Socket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: unknown): void;
  until(done: (frames: Record<string, unknown>[]) => boolean, what: string): Promise<Record<string, unknown>[]>;
}

describe('chat through the gateway', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let api: string;
  let a: Tenant;
  let b: Tenant;
  const sockets: WebSocket[] = [];

  const call = async (
    path: string,
    init: { method?: string; body?: unknown; token?: string; headers?: object } = {},
  ) => {
    const res = await fetch(`${api}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const signUp = async (slug: string): Promise<Tenant> => {
    const res = await call('/api/v1/auth/sign-up', {
      method: 'POST',
      body: {
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      },
    });
    expect(res.status).toBe(201);
    return { id: res.body.tenant.id, token: res.body.accessToken, userId: res.body.user.id };
  };

  /** Plans are the tenant service's; billing would call this. */
  const changePlan = async (tenant: Tenant, plan: 'free' | 'pro') => {
    const res = await serviceFetch(`${platform.url('tenant')}/internal/tenants/${tenant.id}/plan`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    });
    expect(res.status).toBe(200);
  };

  const newConversation = async (tenant: Tenant, title = 'Chat'): Promise<string> => {
    const res = await call('/api/v1/conversations', { method: 'POST', token: tenant.token, body: { title } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  /** POST …/messages with Accept: text/event-stream, read to the end. */
  const streamSse = async (tenant: Tenant, conversationId: string, content: string) => {
    const res = await fetch(`${api}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: JSON.stringify({ content }),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), text };
  };

  const connect = async (credential: string): Promise<Socket> => {
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws`, ['bearer', credential]);
    sockets.push(ws);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    await waitFor(() => frames[0]?.type === 'session.ready', { what: 'session.ready' });
    return {
      ws,
      frames,
      send: (frame) => ws.send(JSON.stringify(frame)),
      until: async (done, what) => {
        await waitFor(() => done(frames.slice(1)), { what, timeoutMs: 20_000 });
        return frames.slice(1);
      },
    };
  };

  const ended = (conversationId: string) => (frames: Record<string, unknown>[]) =>
    frames.some((f) => f.conversationId === conversationId && (f.type === 'message.completed' || f.type === 'error'));

  beforeAll(async () => {
    sim = await LlmSimulator.start();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        // The free plan has one token a month: the quota tenant stays on it, the others go pro.
        tenant: {
          PLAN_FREE_TOKENS_PER_MONTH: '1',
          PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000',
          PLAN_PRO_CHAT_REQUESTS_PER_HOUR: '1000',
        },
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'anthropic',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
          CHAT_PROVIDER_MAX_RETRIES: '0',
          // Tenant B's own provider is the local simulator: the operator allows it (cloud refuses loopback).
          EGRESS_ALLOWLIST: '127.0.0.1/32',
          EGRESS_ALLOW_HTTP: 'true',
        },
      },
    });
    api = platform.url('gateway');
    a = await signUp(`chat-a-${randomUUID().slice(0, 8)}`);
    b = await signUp(`chat-b-${randomUUID().slice(0, 8)}`);
    await changePlan(a, 'pro');
    await changePlan(b, 'pro');
    // Tenant B brings its own key, for a provider speaking OpenAI's protocol.
    const byok = await call('/api/v1/chat/providers/openai', {
      method: 'PUT',
      token: b.token,
      body: { apiKey: 'sk-openai-tenant-b-1234', baseUrl: sim.openaiBaseUrl, model: 'gpt-4.1-mini' },
    });
    expect(byok.status).toBe(200);
    expect(byok.body).toMatchObject({ kind: 'openai', keyHint: '…1234', model: 'gpt-4.1-mini' });
  }, 240_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await platform?.stop();
    await sim?.close();
  });

  it('streams answers over SSE in both wire formats: tokens in order and complete', async () => {
    sim.when({ promptIncludes: 'sse-anthropic' }, { chunks: ['Hello', ' from', ' Anthropic', ' 👋'] });
    sim.when({ promptIncludes: 'sse-openai' }, { chunks: ['Hi', ' from', ' Open', 'AI', ' ✓'] });
    const convA = await newConversation(a);
    const convB = await newConversation(b);
    const [fromA, fromB] = await Promise.all([
      streamSse(a, convA, 'sse-anthropic please'),
      streamSse(b, convB, 'sse-openai please'),
    ]);
    // A refusal is a JSON problem, not a stream: say which, rather than fail parsing it.
    expect(fromA.status, fromA.text).toBe(200);
    expect(fromB.status, fromB.text).toBe(200);
    expect(fromA.contentType).toContain('text/event-stream');
    expect(fromB.contentType).toContain('text/event-stream');
    expectCompleteAnswer(parseSse(fromA.text), convA, 'Hello from Anthropic 👋');
    expectCompleteAnswer(parseSse(fromB.text), convB, 'Hi from OpenAI ✓');
    expect((await sim.waitFor((r) => r.prompt.includes('sse-anthropic'))).protocol).toBe('anthropic');
    expect((await sim.waitFor((r) => r.prompt.includes('sse-openai'))).protocol).toBe('openai');

    const messages = await call(`/api/v1/conversations/${convA}/messages`, { token: a.token });
    expect(messages.status).toBe(200);
    expect(messages.body.items.map((m: Body) => [m.role, m.status, m.content])).toEqual([
      ['assistant', 'complete', 'Hello from Anthropic 👋'],
      ['user', 'complete', 'sse-anthropic please'],
    ]);
  });

  it('streams answers over the WebSocket in both wire formats, each socket getting only its own tokens', async () => {
    sim.when({ promptIncludes: 'ws-anthropic' }, { chunks: ['one', ' two', ' three'], tokenDelayMs: 5 });
    sim.when({ promptIncludes: 'ws-openai' }, { chunks: ['uno', ' dos', ' tres'], tokenDelayMs: 5 });
    const convA = await newConversation(a);
    const convB = await newConversation(b);
    const [socketA, socketB] = await Promise.all([connect(a.token), connect(b.token)]);
    socketA.send({ type: 'message.send', requestId: 'ws-a-1', conversationId: convA, content: 'ws-anthropic go' });
    socketB.send({ type: 'message.send', requestId: 'ws-b-1', conversationId: convB, content: 'ws-openai go' });
    const framesA = await socketA.until(ended(convA), 'A’s answer');
    const framesB = await socketB.until(ended(convB), 'B’s answer');
    const eventsA = framesA.map((f) => chatStreamEventSchema.parse(f));
    const eventsB = framesB.map((f) => chatStreamEventSchema.parse(f));
    expectCompleteAnswer(eventsA, convA, 'one two three');
    expectCompleteAnswer(eventsB, convB, 'uno dos tres');
    expect(eventsA[0]).toMatchObject({ type: 'message.started', requestId: 'ws-a-1', provider: expect.any(String) });
    expect(eventsB[0]).toMatchObject({ type: 'message.started', requestId: 'ws-b-1' });
    expect(framesA.every((f) => f.conversationId === convA)).toBe(true);
    expect(framesB.every((f) => f.conversationId === convB)).toBe(true);
    expect((await sim.waitFor((r) => r.prompt.includes('ws-openai'))).protocol).toBe('openai');
  });

  it("keeps tenants apart: another tenant's conversation is 404 over HTTP and refused over the WebSocket", async () => {
    const convA = await newConversation(a, 'Private');
    for (const [method, path, body] of [
      ['GET', `/api/v1/conversations/${convA}`, undefined],
      ['GET', `/api/v1/conversations/${convA}/messages`, undefined],
      ['PATCH', `/api/v1/conversations/${convA}`, { title: 'Mine now' }],
      ['POST', `/api/v1/conversations/${convA}/messages`, { content: 'leak?' }],
      ['DELETE', `/api/v1/conversations/${convA}`, undefined],
    ] as const) {
      const res = await call(path, { method, token: b.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const listB = await call('/api/v1/conversations?limit=100', { token: b.token });
    expect(listB.body.items.map((c: Body) => c.id)).not.toContain(convA);
    const socketB = await connect(b.token);
    socketB.send({ type: 'message.send', requestId: 'steal', conversationId: convA, content: 'leak?' });
    const [refusal] = await socketB.until((f) => f.length > 0, 'the refusal');
    expect(refusal).toMatchObject({ type: 'error', code: 'not_found', conversationId: convA, requestId: 'steal' });
    expect(sim.requests.some((r) => r.prompt.includes('leak?'))).toBe(false);
    expect((await call(`/api/v1/conversations/${convA}`, { token: a.token })).body.title).toBe('Private');
  });

  it("keeps skills apart: another tenant's skill is not listed, and its command is unknown over the WebSocket", async () => {
    const created = await call('/api/v1/skills', {
      method: 'POST',
      token: b.token,
      body: {
        name: 'House style',
        command: '/house-style',
        systemPrompt: 'SKILL-B-SECRET: rewrite {{input}} in the house style',
        visibility: 'tenant',
      },
    });
    expect(created.status).toBe(201);
    const listA = await call('/api/v1/skills', { token: a.token });
    expect(listA.body.items.map((skill: Body) => skill.command)).not.toContain('/house-style');
    expect((await call(`/api/v1/skills/${created.body.id}`, { token: a.token })).status).toBe(404);

    const convA = await newConversation(a, 'Skills A');
    const socketA = await connect(a.token);
    socketA.send({ type: 'message.send', requestId: 'skill-a', conversationId: convA, content: '/house-style hello' });
    const [refusal] = await socketA.until((f) => f.length > 0, 'the refusal');
    expect(refusal).toMatchObject({ type: 'error', code: 'unknown_skill', requestId: 'skill-a' });

    const convB = await newConversation(b, 'Skills B');
    const socketB = await connect(b.token);
    socketB.send({ type: 'message.send', requestId: 'skill-b', conversationId: convB, content: '/house-style hello' });
    const framesB = await socketB.until(ended(convB), 'the skill answer');
    expect(framesB.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
    expect(framesB[0]).toMatchObject({ type: 'message.started', skill: '/house-style' });
    const withSecret = sim.requests.filter((r) => r.prompt.includes('SKILL-B-SECRET'));
    expect(withSecret).toHaveLength(1);
    expect(withSecret[0]?.prompt).toContain('rewrite hello in the house style');
  });

  it('a client that disconnects mid-answer aborts the provider call; the partial answer is kept as stopped', async () => {
    sim.when({ promptIncludes: 'abort-me' }, { text: 'word '.repeat(400), tokenDelayMs: 20 });
    const conv = await newConversation(a);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${api}/api/v1/conversations/${conv}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${a.token}`,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
      });
      req.on('error', () => undefined);
      req.on('response', (res) => {
        let seen = '';
        res.on('error', () => undefined);
        res.on('data', (chunk: Buffer) => {
          seen += chunk.toString('utf8');
          if (seen.includes('event: token')) {
            req.destroy();
            resolve();
          }
        });
        res.on('end', () => reject(new Error('the answer ended before the client left')));
      });
      req.end(JSON.stringify({ content: 'abort-me now' }));
    });
    const call_ = await sim.waitFor((r) => r.prompt.includes('abort-me') && r.aborted, 20_000);
    expect(call_.completed).toBe(false);
    await waitFor(
      async () => {
        const messages = await call(`/api/v1/conversations/${conv}/messages`, { token: a.token });
        return messages.body.items[0]?.role === 'assistant' && messages.body.items[0]?.status === 'stopped';
      },
      { what: 'the assistant message stored as stopped', timeoutMs: 20_000 },
    );
  });

  it('message.stop over the WebSocket ends the answer with message.completed (stopped)', async () => {
    sim.when({ promptIncludes: 'stop-me' }, { text: 'slow '.repeat(400), tokenDelayMs: 20 });
    const conv = await newConversation(a);
    const socket = await connect(a.token);
    socket.send({ type: 'message.send', conversationId: conv, content: 'stop-me please' });
    await socket.until((f) => f.some((x) => x.type === 'token'), 'a first token');
    socket.send({ type: 'message.stop', conversationId: conv });
    const frames = await socket.until(ended(conv), 'the end');
    expect(frames.at(-1)).toMatchObject({ type: 'message.completed', status: 'stopped' });
    await sim.waitFor((r) => r.prompt.includes('stop-me') && r.aborted, 20_000);
  });

  it('refuses a send once the monthly tokens are used up, before any provider call', async () => {
    const free = await signUp(`chat-q-${randomUUID().slice(0, 8)}`); // one token a month
    const conv = await newConversation(free);
    const first = await streamSse(free, conv, 'quota-first');
    expectCompleteAnswer(parseSse(first.text), conv);
    await waitFor(async () => (await call('/api/v1/chat/quota', { token: free.token })).body.tokensUsed >= 1, {
      what: 'the tokens counted',
      timeoutMs: 20_000,
    });
    const calls = sim.requests.length;
    const refused = await call(`/api/v1/conversations/${conv}/messages`, {
      method: 'POST',
      token: free.token,
      headers: { accept: 'text/event-stream' },
      body: { content: 'quota-second' },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'quota_exceeded', details: { limit: 1 } });
    const socket = await connect(free.token);
    socket.send({ type: 'message.send', requestId: 'q-ws', conversationId: conv, content: 'quota-third' });
    const [frame] = await socket.until((f) => f.length > 0, 'the refusal');
    expect(frame).toMatchObject({ type: 'error', code: 'quota_exceeded', requestId: 'q-ws', partial: false });
    expect(sim.requests.length).toBe(calls);
  });

  it('an API key without chat:write can read but not send, over HTTP or the WebSocket', async () => {
    const created = await call('/api/v1/auth/api-keys', {
      method: 'POST',
      token: a.token,
      body: { name: 'reader', scopes: ['chat:read'] },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect((await call('/api/v1/conversations', { token: key })).status).toBe(200);
    const conv = await newConversation(a);
    const calls = sim.requests.length;
    for (const [path, body] of [
      ['/api/v1/conversations', {}],
      [`/api/v1/conversations/${conv}/messages`, { content: 'key-send' }],
    ] as const) {
      const res = await call(path, { method: 'POST', token: key, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
    const socket = await connect(key);
    socket.send({ type: 'message.send', requestId: 'key-ws', conversationId: conv, content: 'key-send' });
    const [frame] = await socket.until((f) => f.length > 0, 'the refusal');
    expect(frame).toMatchObject({ type: 'error', code: 'insufficient_scope', requestId: 'key-ws' });
    expect(sim.requests.length).toBe(calls);
  });
});
