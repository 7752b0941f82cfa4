import { countTokens } from 'gpt-tokenizer';
import { expect, it } from 'vitest';
import { OpenAiProvider } from './openai.provider';
import { ask, collect, describeProviderContract } from './testing/provider-contract';

const KEY = 'sk-test-key-0123456789';

describeProviderContract(
  {
    name: 'OpenAiProvider',
    prefix: 'o',
    key: KEY,
    wrongKey: 'sk-wrong-key-9876543210',
    create: (http, sim) => ({
      provider: new OpenAiProvider(http),
      target: { kind: 'openai', baseUrl: sim.openaiBaseUrl, apiKey: KEY, model: 'gpt-test', label: 'test:openai' },
    }),
    overloadedStatus: 503,
    rateLimitCode: 'rate_limit_exceeded',
    midStreamErrorKind: 'server_error',
    endOfStream: '[DONE]',
  },
  (ctx) => {
    it('streams the text in order, with usage and the finish reason, speaking Chat Completions', async () => {
      const { provider, target, sim } = ctx();
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
      const { provider, target, sim } = ctx();
      const keyless = { ...target, apiKey: undefined };
      const { error } = await collect(provider.stream(keyless, ask('o1b-keyless'), new AbortController().signal));
      const seen = await sim.waitFor((r) => r.prompt === 'o1b-keyless');
      expect(seen.headers.authorization).toBeUndefined();
      // the simulator, like OpenAI, wants a key
      expect(error).toMatchObject({ kind: 'auth', options: { status: 401, providerCode: 'invalid_api_key' } });
    });
  },
);
