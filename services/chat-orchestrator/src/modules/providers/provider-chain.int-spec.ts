import { LlmSimulator } from '@parley/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic.provider';
import type { CompletionRequest, ProviderTarget } from './llm-provider';
import { OpenAiProvider } from './openai.provider';
import { ProviderChain, type ChainEvent, type ProviderChainOptions } from './provider-chain';
import { ProviderChainError } from './provider-chain-error';
import { ProviderHttp } from './provider-http';
import { ProviderRegistry } from './provider-registry';

let sim: LlmSimulator;
const http = new ProviderHttp();
const registry = new ProviderRegistry(new AnthropicProvider(http), new OpenAiProvider(http));
let anthropic: ProviderTarget;
let openai: ProviderTarget;

const OPTIONS: ProviderChainOptions = {
  maxRetries: 2,
  baseMs: 5,
  maxMs: 2000,
  firstTokenTimeoutMs: 5000,
  idleTimeoutMs: 5000,
};
const chain = (options: Partial<ProviderChainOptions> = {}) => new ProviderChain(registry, { ...OPTIONS, ...options });

beforeAll(async () => {
  sim = await LlmSimulator.start({ apiKeys: ['sk-ant-good', 'sk-oai-good'] });
  anthropic = {
    kind: 'anthropic',
    baseUrl: sim.anthropicBaseUrl,
    apiKey: 'sk-ant-good',
    model: 'claude-x',
    label: 'test:anthropic',
  };
  openai = { kind: 'openai', baseUrl: sim.openaiBaseUrl, apiKey: 'sk-oai-good', model: 'gpt-x', label: 'test:openai' };
});
afterAll(async () => {
  http.onModuleDestroy();
  await sim.close();
});

const ask = (content: string): CompletionRequest => ({
  system: null,
  messages: [{ role: 'user', content }],
  maxTokens: 200,
});

async function run(
  events: AsyncIterable<ChainEvent>,
): Promise<{ events: ChainEvent[]; text: string; error: unknown; attempts: string[] }> {
  const seen: ChainEvent[] = [];
  let error: unknown = null;
  try {
    for await (const event of events) seen.push(event);
  } catch (e) {
    error = e;
  }
  return {
    events: seen,
    error,
    text: seen.map((e) => (e.type === 'delta' ? e.text : '')).join(''),
    attempts: seen.flatMap((e) =>
      e.type === 'attempt' ? [`${e.target.label}#${e.attempt}${e.error ? `:${e.error.kind}` : ''}`] : [],
    ),
  };
}

const requestsFor = (marker: string) => sim.requests.filter((r) => r.prompt.includes(marker));

describe('ProviderChain', () => {
  it('streams one attempt: attempt, start, usage, deltas, usage, finish', async () => {
    const result = await run(chain().stream([anthropic, openai], ask('c1 hello there'), new AbortController().signal));
    expect(result.error).toBeNull();
    expect(result.text).toBe('Echo: c1 hello there');
    expect(result.attempts).toEqual(['test:anthropic#1']);
    // safe to log: the attempt's target carries no key
    expect(result.events[0]).toEqual({
      type: 'attempt',
      target: { kind: 'anthropic', baseUrl: sim.anthropicBaseUrl, model: 'claude-x', label: 'test:anthropic' },
      attempt: 1,
      error: null,
    });
    expect(result.events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1])).toEqual([
      'attempt',
      'start',
      'usage',
      'delta',
      'usage',
      'finish',
    ]);
  });

  it('waits out a 429 retry-after and retries the same target', async () => {
    sim.when({ promptIncludes: 'c2-limited' }, { status: 429, retryAfterSeconds: 1, times: 1 });
    const result = await run(chain().stream([anthropic, openai], ask('c2-limited'), new AbortController().signal));
    expect(result.error).toBeNull();
    expect(result.text).toBe('Echo: c2-limited');
    expect(result.attempts).toEqual(['test:anthropic#1', 'test:anthropic#2:rate_limited']);
    const attempt = result.events[1];
    expect(attempt).toMatchObject({ type: 'attempt', error: { options: { status: 429, retryAfterMs: 1000 } } });
    expect(requestsFor('c2-limited').map((r) => [r.protocol, r.status])).toEqual([
      ['anthropic', 429],
      ['anthropic', 200],
    ]);
  });

  it('retries 5xx with backoff', async () => {
    sim.when({ promptIncludes: 'c3-flaky' }, { status: 500, times: 2 });
    const result = await run(chain().stream([anthropic, openai], ask('c3-flaky'), new AbortController().signal));
    expect(result.text).toBe('Echo: c3-flaky');
    expect(result.attempts).toEqual([
      'test:anthropic#1',
      'test:anthropic#2:server_error',
      'test:anthropic#3:server_error',
    ]);
    expect(requestsFor('c3-flaky')).toHaveLength(3);
  });

  it('falls back to the next target when the first keeps failing', async () => {
    sim.when({ promptIncludes: 'c4-down', protocol: 'anthropic' }, { status: 529 });
    const result = await run(chain().stream([anthropic, openai], ask('c4-down'), new AbortController().signal));
    expect(result.error).toBeNull();
    expect(result.text).toBe('Echo: c4-down');
    expect(result.attempts).toEqual([
      'test:anthropic#1',
      'test:anthropic#2:overloaded',
      'test:anthropic#3:overloaded',
      'test:openai#1:overloaded',
    ]);
    expect(result.events.find((e) => e.type === 'start')).toMatchObject({ model: 'gpt-x' });
    expect(requestsFor('c4-down').map((r) => r.protocol)).toEqual(['anthropic', 'anthropic', 'anthropic', 'openai']);
  });

  it('does not retry an auth error: it goes to the next target at once', async () => {
    const badKey = { ...anthropic, apiKey: 'sk-ant-revoked' };
    const result = await run(chain().stream([badKey, openai], ask('c5-auth'), new AbortController().signal));
    expect(result.text).toBe('Echo: c5-auth');
    expect(result.attempts).toEqual(['test:anthropic#1', 'test:openai#1:auth']);
    expect(requestsFor('c5-auth').map((r) => [r.protocol, r.status])).toEqual([
      ['anthropic', 401],
      ['openai', 200],
    ]);
  });

  it('skips to the next target when retry-after is longer than maxMs', async () => {
    sim.when({ promptIncludes: 'c6-later', protocol: 'anthropic' }, { status: 429, retryAfterSeconds: 60 });
    const result = await run(
      chain({ maxMs: 500 }).stream([anthropic, openai], ask('c6-later'), new AbortController().signal),
    );
    expect(result.text).toBe('Echo: c6-later');
    expect(result.attempts).toEqual(['test:anthropic#1', 'test:openai#1:rate_limited']);
  });

  it('throws the last error, with the targets tried, when every target fails', async () => {
    sim.when({ promptIncludes: 'c7-all-down' }, { status: 500 });
    const result = await run(
      chain({ maxRetries: 1 }).stream([anthropic, openai], ask('c7-all-down'), new AbortController().signal),
    );
    expect(result.text).toBe('');
    expect(result.error).toBeInstanceOf(ProviderChainError);
    expect(result.error).toMatchObject({
      kind: 'server_error',
      partial: false,
      tried: ['test:anthropic', 'test:openai'],
      options: { status: 500 },
    });
    expect(requestsFor('c7-all-down')).toHaveLength(4);
  });

  it('does not retry after the first delta: the partial text, then the error', async () => {
    sim.when({ promptIncludes: 'c8-mid' }, { text: 'alpha beta gamma delta', errorAfterChunks: 2 });
    const result = await run(chain().stream([anthropic, openai], ask('c8-mid'), new AbortController().signal));
    expect(result.text).toBe('alpha beta');
    expect(result.error).toBeInstanceOf(ProviderChainError);
    expect(result.error).toMatchObject({ kind: 'overloaded', partial: true, tried: ['test:anthropic'] });
    expect(requestsFor('c8-mid')).toHaveLength(1);
  });

  it('reports a connection dropped mid-answer as stream_interrupted', async () => {
    sim.when({ promptIncludes: 'c9-drop' }, { text: 'alpha beta gamma delta', disconnectAfterChunks: 3 });
    const result = await run(chain().stream([openai, anthropic], ask('c9-drop'), new AbortController().signal));
    expect(result.text).toBe('alpha beta gamma');
    expect(result.error).toMatchObject({ kind: 'stream_interrupted', partial: true });
    expect(requestsFor('c9-drop')).toHaveLength(1);
  });

  it('times out an attempt without a first token, aborts it, and retries', async () => {
    sim.when({ promptIncludes: 'c10-slow' }, { firstTokenDelayMs: 10_000, times: 1 });
    const result = await run(
      chain({ firstTokenTimeoutMs: 200 }).stream([anthropic, openai], ask('c10-slow'), new AbortController().signal),
    );
    expect(result.text).toBe('Echo: c10-slow');
    expect(result.attempts).toEqual(['test:anthropic#1', 'test:anthropic#2:timeout']);
    await sim.waitFor((r) => r.prompt === 'c10-slow' && r.aborted);
  });

  it('fails with timeout when no target sends a first token', async () => {
    sim.when({ promptIncludes: 'c11-mute' }, { firstTokenDelayMs: 10_000 });
    const result = await run(
      chain({ maxRetries: 0, firstTokenTimeoutMs: 150 }).stream(
        [anthropic],
        ask('c11-mute'),
        new AbortController().signal,
      ),
    );
    expect(result.error).toMatchObject({ kind: 'timeout', partial: false, tried: ['test:anthropic'] });
    expect(result.events.some((e) => e.type === 'start')).toBe(false);
  });

  it('times out a stream that goes silent after the first delta', async () => {
    sim.when({ promptIncludes: 'c12-stall' }, { text: 'alpha beta gamma', tokenDelayMs: 10_000 });
    const result = await run(
      chain({ idleTimeoutMs: 200 }).stream([anthropic, openai], ask('c12-stall'), new AbortController().signal),
    );
    expect(result.text).toBe('alpha');
    expect(result.error).toMatchObject({ kind: 'timeout', partial: true });
    await sim.waitFor((r) => r.prompt === 'c12-stall' && r.aborted);
    expect(requestsFor('c12-stall')).toHaveLength(1);
  });

  it('ends at once on abort during a backoff, without further attempts', async () => {
    sim.when({ promptIncludes: 'c13-abort' }, { status: 500 });
    const controller = new AbortController();
    const iterator = chain({ baseMs: 60_000, maxMs: 60_000 })
      .stream([anthropic, openai], ask('c13-abort'), controller.signal)
      [Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'attempt', attempt: 1 });
    const pending = iterator.next();
    await sim.waitFor((r) => r.prompt === 'c13-abort' && r.completed);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(requestsFor('c13-abort')).toHaveLength(1);
  });

  it('aborts the upstream request when the caller aborts mid-stream, or stops reading', async () => {
    sim.when({ promptIncludes: 'c14-' }, { text: 'w '.repeat(40), tokenDelayMs: 100 });
    const controller = new AbortController();
    const aborted = chain().stream([anthropic], ask('c14-abort'), controller.signal);
    await expect(
      (async () => {
        for await (const event of aborted) if (event.type === 'delta') controller.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await sim.waitFor((r) => r.prompt === 'c14-abort' && r.aborted);

    for await (const event of chain().stream([openai], ask('c14-break'), new AbortController().signal)) {
      if (event.type === 'delta') break;
    }
    await sim.waitFor((r) => r.prompt === 'c14-break' && r.aborted);
  });

  it('refuses an empty target list', async () => {
    const result = await run(chain().stream([], ask('c15'), new AbortController().signal));
    expect(result.error).toBeInstanceOf(ProviderChainError);
    expect(result.error).toMatchObject({ kind: 'bad_request', tried: [] });
  });
});
