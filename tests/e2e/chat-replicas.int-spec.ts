import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStreamEventSchema, type ChatStreamEvent } from '@parley/contracts';
import { freePort, LlmSimulator, PlatformProcesses, ServiceProcess, waitFor } from '@parley/testing';

/**
 * Two gateways, each in front of its own chat-orchestrator, on one database, Redis and Kafka: the
 * shape of a scaled deployment with the load balancer's choices made explicit. Tokens reach the
 * client on whichever gateway holds its connection; a stop sent through the other pair stops an
 * answer streaming on this one (the Redis stop channel); data is the same whichever pair serves.
 */
describe('chat with two gateway and two orchestrator replicas', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  const extra: ServiceProcess[] = [];
  let gw1: string;
  let gw2: string;
  let token: string;

  const post = (api: string, path: string, body: unknown, accept = 'application/json') =>
    fetch(`${api}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
    });
  const get = async (api: string, path: string) =>
    (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<{
      items: Record<string, unknown>[];
    }>;
  const conversation = async (api: string) => {
    const res = await post(api, '/api/v1/conversations', { title: 'replicas' });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  /** Streams an answer over SSE, parsing events as they arrive; `onEvent` sees each one. */
  const stream = async (api: string, id: string, content: string, onEvent: (e: ChatStreamEvent) => void = () => {}) => {
    const res = await post(api, `/api/v1/conversations/${id}/messages`, { content }, 'text/event-stream');
    expect(res.status).toBe(200);
    const events: ChatStreamEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body ?? []) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (!data) continue;
        const event = chatStreamEventSchema.parse(JSON.parse(data.slice(6)));
        events.push(event);
        onEvent(event);
      }
    }
    return events;
  };

  beforeAll(async () => {
    sim = await LlmSimulator.start();
    const orchestratorEnv = {
      CHAT_PROVIDER_CHAIN: 'openai',
      OPENAI_BASE_URL: sim.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-replicas-1234',
      OPENAI_MODEL: 'gpt-4.1-mini',
    };
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        tenant: { PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': orchestratorEnv,
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
    }).start();
    extra.push(gateway2);
    await gateway2.waitReady(90_000);
    gw1 = platform.url('gateway');
    gw2 = gateway2.url;
    const slug = `replicas-${randomUUID().slice(0, 8)}`;
    const signUp = await fetch(`${gw1}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Replicas',
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    token = ((await signUp.json()) as { accessToken: string }).accessToken;
  }, 300_000);

  afterAll(async () => {
    await Promise.all(extra.map((service) => service.stop()));
    await platform?.stop();
    await sim?.close();
  });

  it('streams on both pairs at once, each client getting its own answer whole and in order', async () => {
    const [one, two] = [await conversation(gw1), await conversation(gw2)];
    const [first, second] = await Promise.all([
      stream(gw1, one, 'first pair question'),
      stream(gw2, two, 'second pair question'),
    ]);
    for (const [events, text, id] of [
      [first, 'Echo: first pair question', one],
      [second, 'Echo: second pair question', two],
    ] as const) {
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(events.every((e) => e.conversationId === id)).toBe(true);
      expect(
        events
          .filter((e) => e.type === 'token')
          .map((e) => e.text)
          .join(''),
      ).toBe(text);
      expect(events.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
    }
    // One database behind both pairs: each gateway lists both conversations.
    for (const api of [gw1, gw2]) {
      const ids = (await get(api, '/api/v1/conversations')).items.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([one, two]));
    }
  });

  it('a stop sent through the other gateway and orchestrator stops the answer streaming here', async () => {
    sim.when(
      { promptIncludes: 'slow-replica' },
      { tokenDelayMs: 100, chunks: Array.from({ length: 100 }, (_, i) => ` w${i}`) },
    );
    const id = await conversation(gw1);
    let stopped: Promise<Response> | null = null;
    const events = await stream(gw1, id, 'slow-replica please', (event) => {
      if (event.type === 'token' && event.index === 2 && !stopped) {
        stopped = post(gw2, `/api/v1/conversations/${id}/stop`, {});
      }
    });
    const answer = await (stopped as Promise<Response> | null);
    expect(answer?.status).toBe(202);
    expect(await answer?.json()).toEqual({ stopped: true });
    expect(events.at(-1)).toMatchObject({ type: 'message.completed', status: 'stopped' });
    expect(events.filter((e) => e.type === 'token').length).toBeLessThan(100);
    const messages = await waitFor(
      async () => {
        const items = (await get(gw2, `/api/v1/conversations/${id}/messages`)).items;
        return items.some((m) => m.role === 'assistant' && m.status === 'stopped') ? items : undefined;
      },
      { what: 'the stopped answer stored' },
    );
    expect(messages.find((m) => m.role === 'assistant')).toMatchObject({ status: 'stopped' });
  });
});
