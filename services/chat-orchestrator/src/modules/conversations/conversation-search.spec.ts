import { describe, expect, it } from 'vitest';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  headlineSegments,
  SEARCH_MAX_OFFSET,
  substringNeedle,
  substringSegments,
} from './conversation-search';

describe('conversation search helpers', () => {
  it('turns a headline into plain segments, markers gone', () => {
    expect(headlineSegments('the \u0001quick\u0002 fox and \u0001quick\u0002 <b>cat</b>')).toEqual([
      { text: 'the ', highlight: false },
      { text: 'quick', highlight: true },
      { text: ' fox and ', highlight: false },
      { text: 'quick', highlight: true },
      { text: ' <b>cat</b>', highlight: false },
    ]);
    expect(headlineSegments('')).toEqual([]);
  });

  it('matches unspaced scripts by substring, others by the index only', () => {
    expect(substringNeedle(' 北京 ')).toBe('北京');
    expect(substringNeedle('ラーメン')).toBe('ラーメン');
    expect(substringNeedle('Paris')).toBeNull();
    expect(substringSegments('我喜欢北京烤鸭，北京很大', '北京')).toEqual([
      { text: '我喜欢', highlight: false },
      { text: '北京', highlight: true },
      { text: '烤鸭，', highlight: false },
      { text: '北京', highlight: true },
      { text: '很大', highlight: false },
    ]);
  });

  it('round-trips a cursor and refuses forged or out-of-range ones', () => {
    expect(decodeSearchCursor(encodeSearchCursor(20))).toBe(20);
    expect(decodeSearchCursor(undefined)).toBe(0);
    for (const bad of [
      'nope',
      encodeSearchCursor(SEARCH_MAX_OFFSET + 1),
      encodeSearchCursor(-1),
      encodeSearchCursor(0),
    ]) {
      expect(() => decodeSearchCursor(bad)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });
});
