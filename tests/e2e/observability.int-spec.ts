import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@parley/config';
import { ChatMessageCompletedV1, GEN_AI_TRACE_CONTENT_FLAG, UsageRecordedV1 } from '@parley/contracts';
import {
  JaegerTrace,
  LlmSimulator,
  PlatformProcesses,
  serviceFetch,
  sharedJaeger,
  testTraceparent,
  infra,
  waitFor,
  type JaegerEnv,
  type TraceSpan,
} from '@parley/testing';

/**
 * One request is one trace, in a real Jaeger (scripts/jaeger.sh: v1.75.0, in memory, OTLP on
 * loopback): the services run as processes with tracing on (the suite turns it off for everything
 * else), the test starts each trace with its own `traceparent` and reads the span tree back through
 * Jaeger's query API.
 */

/**
 * Who consumes the chat request's events, as (service, topic): each must show a consumer span under
 * the orchestrator's producer span (billing's usage ledger, analytics' event store).
 */
const CHAT_EVENT_CONSUMERS: ReadonlyArray<readonly [ServiceName, string]> = [
  ['billing', 'usage.recorded.v1'],
  ['analytics', 'usage.recorded.v1'],
  ['analytics', 'chat.message-completed.v1'],
];
const SERVICES: ServiceName[] = ['tenant', 'auth', 'chat-orchestrator', 'gateway', 'analytics', 'billing'];

const svc = (name: ServiceName) => `parley-${name}`;

/** Whether `span` is under `ancestor` in `trace` (false when either is missing). */
function descendsWithin(trace: JaegerTrace | undefined, span: TraceSpan | undefined, ancestor: TraceSpan | undefined) {
  return trace !== undefined && span !== undefined && ancestor !== undefined && trace.descendsFrom(span, ancestor);
}

describe('one trace per request, across services and Kafka, in Jaeger', () => {
  let jaeger: JaegerEnv;
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let api: string;

  /** Reads the trace until `ready` holds for it (spans arrive in batches from each service). */
  const traceWhere = (traceId: string, ready: (trace: JaegerTrace) => boolean, what: string) =>
    waitFor(
      async () => {
        const trace = await JaegerTrace.read(jaeger.queryUrl, traceId);
        return ready(trace) ? trace : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what },
    );

  const signUp = async (slug: string, traceparent?: string) => {
    const res = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
      body: JSON.stringify({
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { tenant: { id: string }; accessToken: string };
    return { id: body.tenant.id, token: body.accessToken };
  };

  const chat = async (tenant: { token: string }, content: string, traceparent: string) => {
    const created = await fetch(`${api}/api/v1/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Traced' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const res = await fetch(`${api}/api/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
        traceparent,
      },
      body: JSON.stringify({ content }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('message.completed');
  };

  const genAiSpan = (trace: JaegerTrace) =>
    trace.find(svc('chat-orchestrator'), (s) => s.tags['gen_ai.operation.name'] === 'chat')[0];

  beforeAll(async () => {
    ({ env: jaeger } = await sharedJaeger());
    sim = await LlmSimulator.start();
    platform = await PlatformProcesses.start({
      services: SERVICES,
      env: {
        DEPLOYMENT_MODE: 'cloud',
        BUS_REQUEST_TIMEOUT_MS: '30000',
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_TRACES_SAMPLER_ARG: '1',
        // Declared and off: a tenant's override opts it in.
        [`FEATURE_${GEN_AI_TRACE_CONTENT_FLAG.toUpperCase()}`]: 'false',
      },
      serviceEnv: {
        tenant: { PLAN_FREE_TOKENS_PER_MONTH: '1000000', PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        analytics: { BUS_LAG_SAMPLE_MS: '1000' },
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'anthropic',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
          CHAT_PROVIDER_MAX_RETRIES: '0',
        },
      },
    });
    api = platform.url('gateway');
  }, 3_700_000); // the first run on a machine builds Jaeger from the Go module proxy

  afterAll(async () => {
    await platform?.stop();
    await sim?.close();
  });

  it('follows a sign-up from the gateway through auth, a Kafka command, the outbox and a consumer', async () => {
    const { traceId, traceparent } = testTraceparent();
    const tenant = await signUp(`trace-${randomUUID().slice(0, 8)}`, traceparent);
    // Each hop, in order: a span of that service matching the predicate. Spans reach Jaeger in each
    // service's batches (a server span only once its response ended), so the test waits for all.
    const hops: [ServiceName, (s: TraceSpan) => boolean][] = [
      ['gateway', (s) => s.kind === 'server'],
      ['auth', (s) => s.kind === 'server'],
      ['auth', (s) => s.name === 'send tenant.create.v2' && s.kind === 'producer'],
      ['tenant', (s) => s.name === 'process tenant.create.v2' && s.kind === 'consumer'],
      ['tenant', (s) => s.name === 'create tenant.created.v1' && s.kind === 'producer'],
      ['tenant', (s) => s.name === 'send tenant.created.v1' && s.tags['parley.outbox.relayed'] === true],
      ['analytics', (s) => s.name === 'process tenant.created.v1' && s.kind === 'consumer'],
    ];
    const trace = await traceWhere(
      traceId,
      (t) => hops.every(([service, match]) => t.find(svc(service), match).length > 0),
      'every hop of the sign-up',
    );
    const chain = hops.map(([service, match]) => trace.find(svc(service), match)[0] as TraceSpan);
    const [gateway, , , , outbox, , consumed] = chain;
    expect(gateway?.parentId).toBe(traceparent.split('-')[2]); // under the caller's own span
    for (let i = 1; i < chain.length; i++) {
      expect(
        trace.descendsFrom(chain[i] as TraceSpan, chain[i - 1] as TraceSpan),
        trace.path(chain[i] as TraceSpan).join(' → '),
      ).toBe(true);
    }
    // The tenant is on the spans that know it.
    expect(consumed?.tags).toMatchObject({ 'parley.tenant.id': tenant.id, 'messaging.system': 'kafka' });
    expect(outbox?.tags).toMatchObject({
      'parley.tenant.id': tenant.id,
      'messaging.destination.name': 'tenant.created.v1',
    });
    // Postgres statements are spans of the request that ran them.
    expect(
      trace.find(
        svc('tenant'),
        (s) => s.tags['db.system.name'] === 'postgresql' || s.tags['db.system'] === 'postgresql',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('follows a chat request: gateway → orchestrator → gen_ai model call → outbox → consumers', async () => {
    const tenant = await signUp(`trace-chat-${randomUUID().slice(0, 8)}`);
    sim.when({ promptIncludes: 'traced-question' }, { chunks: ['Traced', ' answer'] });
    const { traceId, traceparent } = testTraceparent();
    await chat(tenant, 'traced-question: what is a span?', traceparent);
    const trace = await traceWhere(
      traceId,
      (t) =>
        genAiSpan(t) !== undefined &&
        t.find(svc('gateway'), (s) => s.kind === 'server').length > 0 &&
        t.find(svc('chat-orchestrator'), (s) => s.kind === 'server').length > 0 &&
        t.find(svc('chat-orchestrator'), (s) => s.kind === 'producer').length >= 4 &&
        CHAT_EVENT_CONSUMERS.every(
          ([service, topic]) => t.find(svc(service), (s) => s.name === `process ${topic}`).length > 0,
        ),
      'the chat request’s spans',
    );
    const [gatewayIn] = trace.find(svc('gateway'), (s) => s.kind === 'server');
    const gatewayOut = trace.find(
      svc('gateway'),
      (s) => s.kind === 'client' && trace.descendsFrom(s, gatewayIn as TraceSpan),
    );
    const [orchestrator] = trace.find(svc('chat-orchestrator'), (s) => s.kind === 'server');
    expect(gatewayIn?.tags['parley.tenant.id']).toBe(tenant.id);
    expect(orchestrator && trace.descendsFrom(orchestrator, gatewayIn as TraceSpan)).toBe(true);
    expect(gatewayOut.some((s) => s.spanId === orchestrator?.parentId)).toBe(true);

    const model = genAiSpan(trace) as TraceSpan;
    expect(trace.descendsFrom(model, orchestrator as TraceSpan)).toBe(true);
    expect(model.name).toBe('chat claude-sonnet-5-5');
    expect(model.kind).toBe('client');
    expect(model.tags).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-5-5',
      'parley.tenant.id': tenant.id,
    });
    expect(model.tags['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    expect(model.tags['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
    expect(model.tags['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));
    // The provider's HTTP request is the model call's child.
    expect(trace.find(svc('chat-orchestrator'), (s) => s.kind === 'client' && s.parentId === model.spanId).length).toBe(
      1,
    );
    // Off by default: no prompt or answer on the span.
    expect(model.tags['gen_ai.input.messages']).toBeUndefined();
    expect(model.tags['gen_ai.output.messages']).toBeUndefined();

    for (const topic of [ChatMessageCompletedV1.name, UsageRecordedV1.name]) {
      const [produced] = trace.find(svc('chat-orchestrator'), (s) => s.name === `create ${topic}`);
      expect(produced, `create ${topic}`).toBeDefined();
      expect(trace.descendsFrom(produced as TraceSpan, orchestrator as TraceSpan)).toBe(true);
      expect(produced?.tags['parley.tenant.id']).toBe(tenant.id);
      // The outbox relay's publish to Kafka, under the row's create span; consumers hang under it.
      const [published] = trace.find(svc('chat-orchestrator'), (s) => s.name === `send ${topic}`);
      expect(published && trace.descendsFrom(published, produced as TraceSpan), `send ${topic}`).toBe(true);
      expect(published?.tags).toMatchObject({ 'parley.outbox.relayed': true, 'parley.tenant.id': tenant.id });
      for (const [service, consumedTopic] of CHAT_EVENT_CONSUMERS.filter(([, t]) => t === topic)) {
        const [consumed] = trace.find(svc(service), (s) => s.name === `process ${consumedTopic}`);
        expect(consumed && trace.descendsFrom(consumed, published as TraceSpan), `${service} consumes ${topic}`).toBe(
          true,
        );
      }
    }
  });

  it('records prompt and answer on the model-call span only for a tenant that opted in', async () => {
    const [optedIn, other] = await Promise.all([
      signUp(`trace-in-${randomUUID().slice(0, 8)}`),
      signUp(`trace-out-${randomUUID().slice(0, 8)}`),
    ]);
    const set = await serviceFetch(
      `${platform.url('tenant')}/internal/tenants/${optedIn.id}/features/${GEN_AI_TRACE_CONTENT_FLAG}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }) },
    );
    expect(set.status).toBe(200);
    sim.when({ promptIncludes: 'opt-in-question' }, { chunks: ['Opted', ' in'] });
    sim.when({ promptIncludes: 'opt-out-question' }, { chunks: ['Kept', ' private'] });
    const inTrace = testTraceparent();
    const outTrace = testTraceparent();
    await Promise.all([
      chat(optedIn, 'opt-in-question: hello', inTrace.traceparent),
      chat(other, 'opt-out-question: hello', outTrace.traceparent),
    ]);
    const withContent = genAiSpan(
      await traceWhere(inTrace.traceId, (t) => genAiSpan(t) !== undefined, 'opted-in span'),
    );
    const without = genAiSpan(await traceWhere(outTrace.traceId, (t) => genAiSpan(t) !== undefined, 'other span'));
    expect(JSON.parse(String(withContent?.tags['gen_ai.input.messages']))).toContainEqual({
      role: 'user',
      parts: [{ type: 'text', content: 'opt-in-question: hello' }],
    });
    expect(JSON.parse(String(withContent?.tags['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Opted in' }], finish_reason: 'stop' },
    ]);
    // Another tenant's opt-in does not put this tenant's words in its traces.
    expect(without?.tags['parley.tenant.id']).toBe(other.id);
    expect(without?.tags['gen_ai.input.messages']).toBeUndefined();
    expect(without?.tags['gen_ai.output.messages']).toBeUndefined();
  });

  it('traces a WebSocket upgrade under the caller, and each chat frame as a trace linked to it', async () => {
    const tenant = await signUp(`trace-ws-${randomUUID().slice(0, 8)}`);
    const created = await fetch(`${api}/api/v1/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Socket' }),
    });
    const { id: conversationId } = (await created.json()) as { id: string };
    sim.when({ promptIncludes: 'socket-question' }, { chunks: ['Over', ' the', ' socket'] });
    const { traceId, traceparent } = testTraceparent();
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws`, ['bearer', tenant.token], {
      headers: { traceparent },
    });
    const frames: { type?: string }[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as { type?: string }));
    try {
      await waitFor(() => frames.some((f) => f.type === 'session.ready'), { what: 'session.ready' });
      ws.send(
        JSON.stringify({ type: 'message.send', requestId: 'ws-trace-1', conversationId, content: 'socket-question' }),
      );
      await waitFor(() => frames.some((f) => f.type === 'message.completed'), {
        what: 'the answer',
        timeoutMs: 20_000,
      });
    } finally {
      ws.terminate();
    }
    const upgradeTrace = await traceWhere(
      traceId,
      (t) => t.find(svc('gateway'), (s) => s.name === 'WS upgrade /ws').length > 0,
      'the upgrade span',
    );
    const [upgrade] = upgradeTrace.find(svc('gateway'), (s) => s.name === 'WS upgrade /ws');
    expect(upgrade?.kind).toBe('server');
    expect(upgrade?.parentId).toBe(traceparent.split('-')[2]);
    expect(upgrade?.tags).toMatchObject({ 'http.response.status_code': 101, 'parley.tenant.id': tenant.id });
    // The frame's trace: found by its tenant, linked to the upgrade, reaching the model call.
    const [frameTrace] = await waitFor(
      async () => {
        const found = await JaegerTrace.search(jaeger.queryUrl, {
          service: svc('gateway'),
          operation: 'WS message.send',
          tags: { 'parley.tenant.id': tenant.id },
        });
        return found.length > 0 && found.every((t) => genAiSpan(t) !== undefined) ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the chat frame’s trace' },
    );
    const [frame] = frameTrace?.find(svc('gateway'), (s) => s.name === 'WS message.send') ?? [];
    expect(frame?.parentId).toBeNull();
    expect(frame?.links).toContain(upgrade?.spanId);
    expect(descendsWithin(frameTrace, genAiSpan(frameTrace as JaegerTrace), frame)).toBe(true);
  });

  /** The value of the first sample line of `/metrics` matching every fragment, or undefined. */
  const sample = async (service: ServiceName, ...fragments: string[]) => {
    const text = await (await fetch(`${platform.url(service)}/metrics`)).text();
    const line = text.split('\n').find((l) => !l.startsWith('#') && fragments.every((f) => l.includes(f)));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('exposes gen_ai_client_* histograms, consumer lag and dead-letter growth after real traffic', async () => {
    const tenant = await signUp(`metrics-${randomUUID().slice(0, 8)}`);
    sim.when({ promptIncludes: 'metered-question' }, { chunks: ['Metered', ' answer'] });
    await chat(tenant, 'metered-question: count me', testTraceparent().traceparent);
    const model = [
      'gen_ai_operation_name="chat"',
      'gen_ai_provider_name="anthropic"',
      'gen_ai_request_model="claude-sonnet-5-5"',
    ];
    for (const type of ['input', 'output']) {
      expect(
        await sample('chat-orchestrator', 'gen_ai_client_token_usage_count{', ...model, `gen_ai_token_type="${type}"`),
      ).toBeGreaterThanOrEqual(1);
      expect(
        await sample('chat-orchestrator', 'gen_ai_client_token_usage_sum{', ...model, `gen_ai_token_type="${type}"`),
      ).toBeGreaterThan(0);
    }
    expect(
      await sample('chat-orchestrator', 'gen_ai_client_operation_duration_seconds_count{', ...model, 'error_type=""'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sample('chat-orchestrator', 'gen_ai_client_operation_time_to_first_chunk_seconds_count{', ...model),
    ).toBeGreaterThanOrEqual(1);
    expect(await sample('chat-orchestrator', 'chat_time_to_first_token_seconds_count')).toBeGreaterThanOrEqual(1);
    // No series is labelled by tenant (unbounded): the tenant id appears on spans only.
    const all = await (await fetch(`${platform.url('chat-orchestrator')}/metrics`)).text();
    expect(all).not.toContain(tenant.id);

    // Analytics consumed every tenant.created.v1 so far: its group's lag on the topic comes down to 0.
    const lagged = ['kafka_consumer_lag{', 'topic="tenant.created.v1"', 'group="'];
    await waitFor(async () => (await sample('analytics', ...lagged)) === 0, {
      what: 'analytics lag 0',
      timeoutMs: 30_000,
    });
    // A message that breaks its contract is dead-lettered: the counter grows, the lag returns to 0.
    const deadBefore = (await sample('analytics', 'bus_dead_letter_total{', 'topic="tenant.created.v1"')) ?? 0;
    const kafka = new Kafka({ brokers: infra().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${platform.topicPrefix}tenant.created.v1`,
      messages: [{ key: 'broken', value: '{"not":"a tenant"}' }],
    });
    await producer.disconnect();
    await waitFor(
      async () =>
        ((await sample('analytics', 'bus_dead_letter_total{', 'topic="tenant.created.v1"')) ?? 0) > deadBefore,
      { what: 'the dead letter counted', timeoutMs: 30_000 },
    );
    await waitFor(async () => (await sample('analytics', ...lagged)) === 0, {
      what: 'lag back to 0',
      timeoutMs: 30_000,
    });
  });
});
