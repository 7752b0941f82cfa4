import { freePort, LlmSimulator } from '@parley/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderError,
  type CompletionRequest,
  type LlmProvider,
  type ProviderErrorKind,
  type ProviderEvent,
  type ProviderTarget,
} from '../llm-provider';
import { ProviderHttp } from '../provider-http';

export const ask = (content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  system: null,
  messages: [{ role: 'user', content }],
  maxTokens: 256,
  ...extra,
});

/** Every event of a stream, the text of its deltas, and what it threw (null when it ended well). */
export async function collect(
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

export interface ProviderUnderTest {
  sim: LlmSimulator;
  provider: LlmProvider;
  target: ProviderTarget;
}

export interface ProviderContract {
  /** The suite's name and the prefix of its prompts (the simulator matches scripted answers by prompt). */
  name: string;
  prefix: string;
  key: string;
  wrongKey: string;
  create(http: ProviderHttp, sim: LlmSimulator): { provider: LlmProvider; target: ProviderTarget };
  /** The wire's own words: its overloaded status, its 429 error code, how its stream ends. */
  overloadedStatus: number;
  rateLimitCode: string;
  midStreamErrorKind: ProviderErrorKind;
  endOfStream: string;
}

/**
 * What every provider adapter must do the same way, whatever its wire format: finish reasons,
 * missing usage, error kinds, mid-stream errors and drops, abort, split UTF-8, kept-alive
 * connections, refused connections. Each adapter's spec adds its own wire format's tests in `wire`,
 * against the same simulator (started once here).
 */
export function describeProviderContract(
  contract: ProviderContract,
  wire: (ctx: () => ProviderUnderTest) => void,
): void {
  describe(contract.name, () => {
    const http = new ProviderHttp();
    let ctx: ProviderUnderTest;
    const p = (name: string) => `${contract.prefix}${name}`;
    const run = (prompt: string, extra: Partial<CompletionRequest> = {}, target = ctx.target) =>
      collect(ctx.provider.stream(target, ask(prompt, extra), new AbortController().signal));

    beforeAll(async () => {
      const sim = await LlmSimulator.start({ apiKeys: [contract.key] });
      ctx = { sim, ...contract.create(http, sim) };
    });
    afterAll(async () => {
      http.onModuleDestroy();
      await ctx?.sim.close();
    });

    wire(() => ctx);

    it('reports the length finish reason when cut at max_tokens', async () => {
      const { events, error } = await run(p('2 one two three four five six seven'), { maxTokens: 3 });
      expect(error).toBeNull();
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    });

    it('yields no usage event when the provider reports none', async () => {
      ctx.sim.when({ promptIncludes: p('3-no-usage') }, { omitUsage: true });
      const { events, text } = await run(p('3-no-usage'));
      expect(text).toBe(`Echo: ${p('3-no-usage')}`);
      expect(events.some((e) => e.type === 'usage')).toBe(false);
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    });

    it('maps error statuses to kinds, with retry-after, and never echoes the key', async () => {
      const overloaded = p(`4-${contract.overloadedStatus}`);
      ctx.sim.when({ promptIncludes: p('4-429') }, { status: 429, retryAfterSeconds: 2 });
      ctx.sim.when({ promptIncludes: overloaded }, { status: contract.overloadedStatus });
      ctx.sim.when({ promptIncludes: p('4-500') }, { status: 500 });
      ctx.sim.when({ promptIncludes: p('4-400') }, { status: 400 });
      const failure = async (prompt: string, target = ctx.target) => (await run(prompt, {}, target)).error;

      expect(await failure(p('4-429'))).toMatchObject({
        kind: 'rate_limited',
        retryable: true,
        options: { status: 429, retryAfterMs: 2000, providerCode: contract.rateLimitCode },
      });
      expect(await failure(overloaded)).toMatchObject({
        kind: 'overloaded',
        options: { status: contract.overloadedStatus },
      });
      expect(await failure(p('4-500'))).toMatchObject({ kind: 'server_error', options: { status: 500 } });
      expect(await failure(p('4-400'))).toMatchObject({ kind: 'bad_request', retryable: false });
      const auth = await failure(p('4-auth'), { ...ctx.target, apiKey: contract.wrongKey });
      expect(auth).toBeInstanceOf(ProviderError);
      expect(auth).toMatchObject({ kind: 'auth', retryable: false, options: { status: 401 } });
      expect((auth as ProviderError).message).not.toContain(contract.wrongKey);
    });

    it('yields the chunks before a mid-stream error, then throws its kind', async () => {
      ctx.sim.when({ promptIncludes: p('5-break') }, { text: 'one two three four five', errorAfterChunks: 2 });
      const { text, events, error } = await run(p('5-break'));
      expect(text).toBe('one two');
      expect(events.some((e) => e.type === 'finish')).toBe(false);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: contract.midStreamErrorKind });
    });

    it(`throws stream_interrupted when the connection drops before ${contract.endOfStream}`, async () => {
      ctx.sim.when({ promptIncludes: p('6-cut') }, { text: 'one two three four', disconnectAfterChunks: 3 });
      const { text, error } = await run(p('6-cut'));
      expect(text).toBe('one two three');
      expect(error).toMatchObject({ kind: 'stream_interrupted' });
    });

    it('aborts the upstream request at once when the signal aborts', async () => {
      ctx.sim.when({ promptIncludes: p('7-abort') }, { text: 'w '.repeat(50), tokenDelayMs: 100 });
      const controller = new AbortController();
      const iterator = ctx.provider.stream(ctx.target, ask(p('7-abort')), controller.signal)[Symbol.asyncIterator]();
      let next = await iterator.next();
      while (!next.done && next.value.type !== 'delta') next = await iterator.next();
      controller.abort();
      await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
      const seen = await ctx.sim.waitFor((r) => r.prompt.includes(p('7-abort')) && r.aborted);
      expect(seen.completed).toBe(false);
    });

    it('keeps multi-byte characters intact when the bytes are cut across reads', async () => {
      const text = 'héllo wörld 世界 🎉🎉 Ünïcødé ✓ ok';
      ctx.sim.when({ promptIncludes: p('8-utf8') }, { text, fragmentBytes: 5 });
      const result = await run(p('8-utf8'));
      expect(result.error).toBeNull();
      expect(result.text).toBe(text);
    });

    it('reuses the kept-alive connection for the next call', async () => {
      await run(p('9-first'));
      await run(p('9-second'));
      const first = await ctx.sim.waitFor((r) => r.prompt === p('9-first'));
      const second = await ctx.sim.waitFor((r) => r.prompt === p('9-second'));
      expect(second.remotePort).toBe(first.remotePort);
    });

    it('reports a refused connection as network', async () => {
      const closed = { ...ctx.target, baseUrl: `http://127.0.0.1:${await freePort()}` };
      const { error } = await run(p('10'), {}, closed);
      expect(error).toMatchObject({ kind: 'network', retryable: true });
    });
  });
}
