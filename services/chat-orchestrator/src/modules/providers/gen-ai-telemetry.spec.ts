import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GenAiMetrics, RequestContext, ServiceMetrics } from '@parley/observability';
import { GenAiCall } from './gen-ai-telemetry';
import { ProviderError, type CompletionRequest, type ProviderTarget } from './llm-provider';

const TENANT = '3e9c1a2b-4d5f-4a6b-8c7d-9e0f1a2b3c4d';
const request: CompletionRequest = {
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'What is a span?' }],
  maxTokens: 256,
};
const operator: ProviderTarget = {
  kind: 'anthropic',
  baseUrl: 'http://x',
  model: 'claude-x',
  label: 'global:anthropic',
};
const byok: ProviderTarget = { kind: 'openai', baseUrl: 'http://y', model: 'my-own-model-42', label: 'tenant:openai' };

/** One model call's span (GenAI conventions) and gen_ai_client_* series, without a provider. */
describe('GenAiCall', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let registry: ServiceMetrics;
  let metrics: GenAiMetrics;

  beforeAll(() => trace.setGlobalTracerProvider(provider));
  afterAll(async () => {
    trace.disable();
    await provider.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
    registry = new ServiceMetrics('chat-orchestrator');
    metrics = new GenAiMetrics(registry);
  });

  const complete = (call: GenAiCall) => {
    call.observe({ type: 'start', model: 'claude-x-2026', providerMessageId: 'msg_1' });
    call.observe({ type: 'usage', inputTokens: 12 });
    call.observe({ type: 'delta', text: 'A unit ' });
    call.observe({ type: 'delta', text: 'of work.' });
    call.observe({ type: 'usage', outputTokens: 4 });
    call.observe({ type: 'finish', reason: 'stop' });
    call.end(null);
  };

  it('names the operation, provider, models, usage, first chunk and tenant — and no content by default', () => {
    RequestContext.run({ requestId: 'r', traceparent: '', tenantId: TENANT }, () =>
      complete(new GenAiCall(operator, request, { recordContent: false }, metrics, 1)),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('chat claude-x');
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'gen_ai.response.model': 'claude-x-2026',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
      'parley.tenant.id': TENANT,
    });
    expect(span?.attributes['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));
    expect(span?.events.map((e) => e.name)).toEqual(['gen_ai.first_chunk']);
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions']) {
      expect(span?.attributes[key], key).toBeUndefined();
    }
  });

  it('records the prompt and the answer when the tenant opted in', () => {
    complete(new GenAiCall(operator, request, { recordContent: true }, metrics, 1));
    const [span] = exporter.getFinishedSpans();
    expect(JSON.parse(String(span?.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(String(span?.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'What is a span?' }] },
    ]);
    expect(JSON.parse(String(span?.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'A unit of work.' }], finish_reason: 'stop' },
    ]);
  });

  it('labels metrics with the operator model by name and any tenant model as "tenant", never the tenant id', async () => {
    RequestContext.run({ requestId: 'r', traceparent: '', tenantId: TENANT }, () => {
      complete(new GenAiCall(operator, request, { recordContent: false }, metrics, 1));
      complete(new GenAiCall(byok, request, { recordContent: false }, metrics, 1));
    });
    const text = await registry.registry.metrics();
    expect(text).toMatch(
      /gen_ai_client_token_usage_sum\{[^}]*gen_ai_request_model="claude-x",gen_ai_token_type="input"[^}]*\} 12/,
    );
    expect(text).toMatch(
      /gen_ai_client_token_usage_count\{[^}]*gen_ai_provider_name="openai",gen_ai_request_model="tenant"/,
    );
    expect(text).not.toContain('my-own-model-42');
    expect(text).not.toContain(TENANT);
  });

  it('marks a failed call with its error type, a cancelled one as cancelled, and ends each once', async () => {
    const failed = new GenAiCall(operator, request, { recordContent: false }, metrics, 2);
    failed.end(new ProviderError('rate_limited', 'slow down', { status: 429 }));
    failed.end(null, true); // a second end (the chain's finally) changes nothing
    const cancelled = new GenAiCall(operator, request, { recordContent: false }, metrics, 1);
    cancelled.end(null, true);
    const [first, second] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    expect(first?.attributes).toMatchObject({ 'error.type': 'rate_limited', 'parley.provider.attempt': 2 });
    expect(first?.status.code).toBe(2); // ERROR
    expect(second?.attributes['error.type']).toBe('cancelled');
    expect(second?.status.code).toBe(0); // UNSET: the client left, the provider did not fail
    const text = await registry.registry.metrics();
    expect(text).toMatch(/gen_ai_client_operation_duration_seconds_count\{[^}]*error_type="rate_limited"[^}]*\} 1/);
    expect(text).toMatch(/gen_ai_client_operation_duration_seconds_count\{[^}]*error_type="cancelled"[^}]*\} 1/);
  });
});
