import { describe, expect, it } from 'vitest';
import { wordErrors } from './word-errors';

describe('wordErrors', () => {
  it('counts substitutions, deletions and insertions, ignoring case and punctuation', () => {
    expect(wordErrors('The quick brown fox.', 'the quick brown fox')).toEqual({ errors: 0, words: 4 });
    expect(wordErrors('The quick brown fox', 'the quick round fox')).toEqual({ errors: 1, words: 4 });
    expect(wordErrors('The quick brown fox', 'the brown fox jumps')).toEqual({ errors: 2, words: 4 });
  });
});
