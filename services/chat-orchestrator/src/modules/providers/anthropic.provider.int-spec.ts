import { countTokens } from 'gpt-tokenizer';
import { expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic.provider';
import { ask, collect, describeProviderContract } from './testing/provider-contract';

const KEY = 'sk-ant-test-key-0123456789';

describeProviderContract(
  {
    name: 'AnthropicProvider',
    prefix: 'a',
    key: KEY,
    wrongKey: 'sk-ant-wrong-key-9876543210',
    create: (http, sim) => ({
      provider: new AnthropicProvider(http),
      target: {
        kind: 'anthropic',
        baseUrl: sim.anthropicBaseUrl,
        apiKey: KEY,
        model: 'claude-test',
        label: 'test:anthropic',
      },
    }),
    overloadedStatus: 529,
    rateLimitCode: 'rate_limit_error',
    midStreamErrorKind: 'overloaded',
    endOfStream: 'message_stop',
  },
  (ctx) => {
    it('streams the text in order, with usage and the finish reason, speaking the Messages API', async () => {
      const { provider, target, sim } = ctx();
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
  },
);
