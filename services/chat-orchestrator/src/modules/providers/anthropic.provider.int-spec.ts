import { freePort, LlmSimulator } from '@parley/testing';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic.provider';
import { ProviderError, type CompletionRequest, type ProviderEvent, type ProviderTarget } from './llm-provider';
import { ProviderHttp } from './provider-http';

let sim: LlmSimulator;
const http = new ProviderHttp();
const provider = new AnthropicProvider(http);
const KEY = 'sk-ant-test-key-0123456789';
let target: ProviderTarget;

beforeAll(async () => {
  sim = await LlmSimulator.start({ apiKeys: [KEY] });
  target = {
    kind: 'anthropic',
    baseUrl: sim.anthropicBaseUrl,
    apiKey: KEY,
    model: 'claude-test',
    label: 'test:anthropic',
  };
});
afterAll(async () => {
  http.onModuleDestroy();
  await sim.close();
});

const ask = (content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  system: null,
  messages: [{ role: 'user', content }],
  maxTokens: 256,
  ...extra,
});

async function collect(
  stream: AsyncIterable<ProviderEvent>,
): Promise<{ events: ProviderEvent[]; text: string; error: unknown }> {
  const events: ProviderEvent[] = [];
  let error: unknown = null;
  try {
    for await (const event of stream) events.push(event);
  } catch (e) {
    error = e;
  }
  const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
  return { events, text, error };
}

describe('AnthropicProvider', () => {
  it('streams the text in order, with usage and the finish reason, speaking the Messages API', async () => {
    const request = ask('a1 what is up', {
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: 'a1 what is up' },
      ],
      temperature: 0.2,
    });
    const { events, text, error } = await collect(provider.stream(target, request, new AbortController().signal));

    expect(error).toBeNull();
    expect(text).toBe('Echo: a1 what is up');
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(events[0]).toEqual({
      type: 'start',
      model: 'claude-test',
      providerMessageId: expect.stringMatching(/^msg_/),
    });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const usage = events.filter((e) => e.type === 'usage');
    expect(usage).toEqual([
      { type: 'usage', inputTokens: countTokens('You are terse.\nearlier\nanswer\na1 what is up') },
      { type: 'usage', outputTokens: expect.any(Number) },
    ]);

    const seen = await sim.waitFor((r) => r.prompt.includes('a1 what is up'));
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe(KEY);
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.body).toEqual({
      model: 'claude-test',
      max_tokens: 256,
      system: 'You are terse.',
      messages: request.messages,
      stream: true,
      temperature: 0.2,
    });
  });

  it('reports the length finish reason when cut at max_tokens', async () => {
    const { events, error } = await collect(
      provider.stream(
        target,
        ask('a2 one two three four five six seven', { maxTokens: 3 }),
        new AbortController().signal,
      ),
    );
    expect(error).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('yields no usage event when the provider reports none', async () => {
    sim.when({ promptIncludes: 'a3-no-usage' }, { omitUsage: true });
    const { events, text } = await collect(provider.stream(target, ask('a3-no-usage'), new AbortController().signal));
    expect(text).toBe('Echo: a3-no-usage');
    expect(events.some((e) => e.type === 'usage')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('maps error statuses to kinds, with retry-after', async () => {
    sim.when({ promptIncludes: 'a4-429' }, { status: 429, retryAfterSeconds: 2 });
    sim.when({ promptIncludes: 'a4-529' }, { status: 529 });
    sim.when({ promptIncludes: 'a4-500' }, { status: 500 });
    sim.when({ promptIncludes: 'a4-400' }, { status: 400 });
    const failure = async (prompt: string, t = target) =>
      (await collect(provider.stream(t, ask(prompt), new AbortController().signal))).error as ProviderError;

    expect(await failure('a4-429')).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      options: { status: 429, retryAfterMs: 2000, providerCode: 'rate_limit_error' },
    });
    expect(await failure('a4-529')).toMatchObject({ kind: 'overloaded', options: { status: 529 } });
    expect(await failure('a4-500')).toMatchObject({ kind: 'server_error', options: { status: 500 } });
    expect(await failure('a4-400')).toMatchObject({ kind: 'bad_request', retryable: false });
    const wrongKey = 'sk-ant-wrong-key-9876543210';
    const auth = await failure('a4-auth', { ...target, apiKey: wrongKey });
    expect(auth).toBeInstanceOf(ProviderError);
    expect(auth).toMatchObject({ kind: 'auth', retryable: false, options: { status: 401 } });
    expect(auth.message).not.toContain(wrongKey);
  });

  it('yields the chunks before a mid-stream error event, then throws its kind', async () => {
    sim.when({ promptIncludes: 'a5-break' }, { text: 'one two three four five', errorAfterChunks: 2 });
    const { text, events, error } = await collect(
      provider.stream(target, ask('a5-break'), new AbortController().signal),
    );
    expect(text).toBe('one two');
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'overloaded' });
  });

  it('throws stream_interrupted when the connection drops before message_stop', async () => {
    sim.when({ promptIncludes: 'a6-cut' }, { text: 'one two three four', disconnectAfterChunks: 3 });
    const { text, error } = await collect(provider.stream(target, ask('a6-cut'), new AbortController().signal));
    expect(text).toBe('one two three');
    expect(error).toMatchObject({ kind: 'stream_interrupted' });
  });

  it('aborts the upstream request at once when the signal aborts', async () => {
    sim.when({ promptIncludes: 'a7-abort' }, { text: 'w '.repeat(50), tokenDelayMs: 100 });
    const controller = new AbortController();
    const iterator = provider.stream(target, ask('a7-abort'), controller.signal)[Symbol.asyncIterator]();
    let next = await iterator.next();
    while (!next.done && next.value.type !== 'delta') next = await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    const seen = await sim.waitFor((r) => r.prompt.includes('a7-abort') && r.aborted);
    expect(seen.completed).toBe(false);
  });

  it('keeps multi-byte characters intact when the bytes are cut across reads', async () => {
    const text = 'héllo wörld 世界 🎉🎉 Ünïcødé ✓ ok';
    sim.when({ promptIncludes: 'a8-utf8' }, { text, fragmentBytes: 5 });
    const result = await collect(provider.stream(target, ask('a8-utf8'), new AbortController().signal));
    expect(result.error).toBeNull();
    expect(result.text).toBe(text);
  });

  it('reuses the kept-alive connection for the next call', async () => {
    await collect(provider.stream(target, ask('a9-first'), new AbortController().signal));
    await collect(provider.stream(target, ask('a9-second'), new AbortController().signal));
    const first = await sim.waitFor((r) => r.prompt === 'a9-first');
    const second = await sim.waitFor((r) => r.prompt === 'a9-second');
    expect(second.remotePort).toBe(first.remotePort);
  });

  it('reports a refused connection as network', async () => {
    const closed = { ...target, baseUrl: `http://127.0.0.1:${await freePort()}` };
    const { error } = await collect(provider.stream(closed, ask('a10'), new AbortController().signal));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});
