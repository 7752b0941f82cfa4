import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { planAnswer, promptInfo, splitWords } from './sim-answer';

describe('simulator answer', () => {
  it('splits text into words with the whitespace before them', () => {
    expect(splitWords('Echo: hi  there\nyou ')).toEqual(['Echo:', ' hi', '  there', '\nyou', ' ']);
    expect(splitWords('')).toEqual([]);
  });

  it('reads the prompt of both protocols, string or block content', () => {
    expect(
      promptInfo('anthropic', {
        system: [{ type: 'text', text: 'sys' }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'first' }] },
          { role: 'assistant', content: 'reply' },
          { role: 'user', content: 'last' },
        ],
      }),
    ).toEqual({ prompt: 'sys\nfirst\nreply\nlast', lastUser: 'last' });
    expect(
      promptInfo('openai', {
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
        ],
      }),
    ).toEqual({ prompt: 'sys\nq', lastUser: 'q' });
  });

  it('echoes the last user message, counting tokens per chunk', () => {
    const info = { prompt: 'sys\nhello world', lastUser: 'hello world' };
    const plan = planAnswer({ scenario: null, info, maxTokens: null, defaultChunkCount: undefined, omitUsage: false });
    expect(plan).toEqual({
      chunks: ['Echo:', ' hello', ' world'],
      text: 'Echo: hello world',
      inputTokens: countTokens('sys\nhello world'),
      outputTokens: countTokens('Echo:') + countTokens(' hello') + countTokens(' world'),
      truncated: false,
    });
  });

  it('answers a prompt holding special-token text (<|endoftext|>) instead of throwing', () => {
    const info = { prompt: 'say <|endoftext|>', lastUser: 'say <|endoftext|>' };
    const plan = planAnswer({ scenario: null, info, maxTokens: null, defaultChunkCount: undefined, omitUsage: false });
    expect(plan.text).toBe('Echo: say <|endoftext|>');
    expect(plan.inputTokens).toBeGreaterThan(1);
  });

  it('cuts at max_tokens and pads to a chunk count', () => {
    const info = { prompt: 'a b c d e f', lastUser: 'a b c d e f' };
    const cut = planAnswer({ scenario: null, info, maxTokens: 4, defaultChunkCount: undefined, omitUsage: false });
    expect(cut.truncated).toBe(true);
    expect(cut.outputTokens).toBeLessThanOrEqual(4);
    expect('Echo: a b c d e f'.startsWith(cut.text)).toBe(true);
    const padded = planAnswer({
      scenario: null,
      info: { prompt: 'x', lastUser: 'x' },
      maxTokens: null,
      defaultChunkCount: 4,
      omitUsage: false,
    });
    expect(padded.chunks).toEqual(['Echo:', ' x', ' lorem', ' ipsum']);
  });

  it('uses scripted chunks or text', () => {
    const info = { prompt: 'p', lastUser: 'p' };
    const chunks = planAnswer({
      scenario: { chunks: ['a', 'b'], text: 'ignored' },
      info,
      maxTokens: 100,
      defaultChunkCount: 9,
      omitUsage: true,
    });
    expect(chunks).toMatchObject({ chunks: ['a', 'b'], inputTokens: 0 });
    expect(
      planAnswer({ scenario: { text: 'x y' }, info, maxTokens: 100, defaultChunkCount: 9, omitUsage: false }).chunks,
    ).toEqual(['x', ' y']);
  });
});
