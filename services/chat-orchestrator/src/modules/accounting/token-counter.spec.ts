import { describe, expect, it } from 'vitest';
import { TokenCounter } from './token-counter';

describe('TokenCounter', () => {
  const counter = new TokenCounter();

  it('counts with the o200k encoding, and 0 for empty text', () => {
    expect(counter.count('')).toBe(0);
    expect(counter.count('hello world')).toBe(2);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(counter.count('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('never counts more tokens than UTF-8 bytes (the free upper bound)', () => {
    for (const text of ['hello world', 'ünïcödé ✓ 🎉🎉', '    spaces   ', 'x'.repeat(1000), '日本語のテキスト']) {
      expect(counter.count(text)).toBeLessThanOrEqual(TokenCounter.byteBound(text));
    }
  });

  it('remembers stored messages by id', () => {
    const first = counter.countStored('m1', 'one two three');
    expect(first).toBe(counter.count('one two three'));
    // Stored messages never change, so a later call with the same id answers from the cache.
    expect(counter.countStored('m1', 'something else entirely, much longer than before')).toBe(first);
  });
});
