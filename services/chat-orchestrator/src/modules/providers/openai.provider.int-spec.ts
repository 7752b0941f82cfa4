import { freePort, LlmSimulator } from '@parley/testing';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type CompletionRequest, type ProviderEvent, type ProviderTarget } from './llm-provider';
import { OpenAiProvider } from './openai.provider';
import { ProviderHttp } from './provider-http';

let sim: LlmSimulator;
const http = new ProviderHttp();
const provider = new OpenAiProvider(http);
const KEY = 'sk-test-key-0123456789';
let target: ProviderTarget;

beforeAll(async () => {
  sim = await LlmSimulator.start({ apiKeys: [KEY] });
  target = { kind: 'openai', baseUrl: sim.openaiBaseUrl, apiKey: KEY, model: 'gpt-test', label: 'test:openai' };
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

describe('OpenAiProvider', () => {
  it('streams the text in order, with usage and the finish reason, speaking Chat Completions', async () => {
    const request = ask('o1 what is up', {
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: 'o1 what is up' },
      ],
      temperature: 0.2,
    });
    const { events, text, error } = await collect(provider.stream(target, request, new AbortController().signal));

    expect(error).toBeNull();
    expect(text).toBe('Echo: o1 what is up');
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(events[0]).toEqual({
      type: 'start',
      model: 'gpt-test',
      providerMessageId: expect.stringMatching(/^chatcmpl-/),
    });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const usage = events.filter((e) => e.type === 'usage');
    expect(usage).toEqual([
      {
        type: 'usage',
        inputTokens: countTokens('You are terse.\nearlier\nanswer\no1 what is up'),
        outputTokens: expect.any(Number),
      },
    ]);

    const seen = await sim.waitFor((r) => r.prompt.includes('o1 what is up'));
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.body).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'system', content: 'You are terse.' }, ...request.messages],
      max_tokens: 256,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
    });
  });

  it('sends no Authorization header without a key (Ollama, llama.cpp)', async () => {
    const keyless: ProviderTarget = { ...target, apiKey: undefined };
    const { error } = await collect(provider.stream(keyless, ask('o1b-keyless'), new AbortController().signal));
    const seen = await sim.waitFor((r) => r.prompt === 'o1b-keyless');
    expect(seen.headers.authorization).toBeUndefined();
    // the simulator, like OpenAI, wants a key
    expect(error).toMatchObject({ kind: 'auth', options: { status: 401, providerCode: 'invalid_api_key' } });
  });

  it('reports the length finish reason when cut at max_tokens', async () => {
    const { events, error } = await collect(
      provider.stream(
        target,
        ask('o2 one two three four five six seven', { maxTokens: 3 }),
        new AbortController().signal,
      ),
    );
    expect(error).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('yields no usage event when the provider reports none', async () => {
    sim.when({ promptIncludes: 'o3-no-usage' }, { omitUsage: true });
    const { events, text } = await collect(provider.stream(target, ask('o3-no-usage'), new AbortController().signal));
    expect(text).toBe('Echo: o3-no-usage');
    expect(events.some((e) => e.type === 'usage')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('maps error statuses to kinds, with retry-after', async () => {
    sim.when({ promptIncludes: 'o4-429' }, { status: 429, retryAfterSeconds: 2 });
    sim.when({ promptIncludes: 'o4-503' }, { status: 503 });
    sim.when({ promptIncludes: 'o4-500' }, { status: 500 });
    sim.when({ promptIncludes: 'o4-400' }, { status: 400 });
    const failure = async (prompt: string, t = target) =>
      (await collect(provider.stream(t, ask(prompt), new AbortController().signal))).error as ProviderError;

    expect(await failure('o4-429')).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      options: { status: 429, retryAfterMs: 2000, providerCode: 'rate_limit_exceeded' },
    });
    expect(await failure('o4-503')).toMatchObject({ kind: 'overloaded', options: { status: 503 } });
    expect(await failure('o4-500')).toMatchObject({ kind: 'server_error', options: { status: 500 } });
    expect(await failure('o4-400')).toMatchObject({ kind: 'bad_request', retryable: false });
    const wrongKey = 'sk-wrong-key-9876543210';
    const auth = await failure('o4-auth', { ...target, apiKey: wrongKey });
    expect(auth).toBeInstanceOf(ProviderError);
    expect(auth).toMatchObject({ kind: 'auth', retryable: false, options: { status: 401 } });
    expect(auth.message).not.toContain(wrongKey);
  });

  it('yields the chunks before a mid-stream error chunk, then throws its kind', async () => {
    sim.when({ promptIncludes: 'o5-break' }, { text: 'one two three four five', errorAfterChunks: 2 });
    const { text, events, error } = await collect(
      provider.stream(target, ask('o5-break'), new AbortController().signal),
    );
    expect(text).toBe('one two');
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server_error' });
  });

  it('throws stream_interrupted when the connection drops before [DONE]', async () => {
    sim.when({ promptIncludes: 'o6-cut' }, { text: 'one two three four', disconnectAfterChunks: 3 });
    const { text, error } = await collect(provider.stream(target, ask('o6-cut'), new AbortController().signal));
    expect(text).toBe('one two three');
    expect(error).toMatchObject({ kind: 'stream_interrupted' });
  });

  it('aborts the upstream request at once when the signal aborts', async () => {
    sim.when({ promptIncludes: 'o7-abort' }, { text: 'w '.repeat(50), tokenDelayMs: 100 });
    const controller = new AbortController();
    const iterator = provider.stream(target, ask('o7-abort'), controller.signal)[Symbol.asyncIterator]();
    let next = await iterator.next();
    while (!next.done && next.value.type !== 'delta') next = await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    const seen = await sim.waitFor((r) => r.prompt.includes('o7-abort') && r.aborted);
    expect(seen.completed).toBe(false);
  });

  it('keeps multi-byte characters intact when the bytes are cut across reads', async () => {
    const text = 'héllo wörld 世界 🎉🎉 Ünïcødé ✓ ok';
    sim.when({ promptIncludes: 'o8-utf8' }, { text, fragmentBytes: 5 });
    const result = await collect(provider.stream(target, ask('o8-utf8'), new AbortController().signal));
    expect(result.error).toBeNull();
    expect(result.text).toBe(text);
  });

  it('reuses the kept-alive connection for the next call', async () => {
    await collect(provider.stream(target, ask('o9-first'), new AbortController().signal));
    await collect(provider.stream(target, ask('o9-second'), new AbortController().signal));
    const first = await sim.waitFor((r) => r.prompt === 'o9-first');
    const second = await sim.waitFor((r) => r.prompt === 'o9-second');
    expect(second.remotePort).toBe(first.remotePort);
  });

  it('reports a refused connection as network', async () => {
    const closed = { ...target, baseUrl: `http://127.0.0.1:${await freePort()}` };
    const { error } = await collect(provider.stream(closed, ask('o10'), new AbortController().signal));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});
