import { describe, expect, it } from 'vitest';
import { HistoryCache, type CachedTurn } from './history.cache';

const turn = (id: string, content = 'x'): CachedTurn => ({
  id,
  role: 'user',
  content,
  status: 'complete',
  at: '2026-12-05T10:00:00.000000Z',
});

/** 160 bytes of allowance per turn plus two bytes per character. */
const bytesOf = (chars: number) => 160 + 2 * chars;

describe('HistoryCache', () => {
  it('keeps entries per tenant and conversation: another tenant with the same conversation id gets nothing', () => {
    const cache = new HistoryCache({ maxEntries: 10, maxBytes: 10_000 });
    cache.set('tenant-a', 'c1', [turn('m1')]);
    expect(cache.get('tenant-a', 'c1')?.turns.map((t) => t.id)).toEqual(['m1']);
    expect(cache.get('tenant-b', 'c1')).toBeNull();
    expect(cache.get('tenant-a', 'c2')).toBeNull();
  });

  it('evicts the least recently used beyond maxEntries (a read counts as a use)', () => {
    const cache = new HistoryCache({ maxEntries: 2, maxBytes: 10_000 });
    cache.set('t', 'a', [turn('1')]);
    cache.set('t', 'b', [turn('2')]);
    cache.get('t', 'a');
    cache.set('t', 'c', [turn('3')]);
    expect(cache.get('t', 'b')).toBeNull();
    expect(cache.get('t', 'a')).not.toBeNull();
    expect(cache.get('t', 'c')).not.toBeNull();
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used beyond maxBytes, and counts bytes exactly', () => {
    const cache = new HistoryCache({ maxEntries: 100, maxBytes: 2 * bytesOf(10) });
    cache.set('t', 'a', [turn('1', '0123456789')]);
    cache.set('t', 'b', [turn('2', '0123456789')]);
    expect(cache.bytes).toBe(2 * bytesOf(10));
    cache.set('t', 'c', [turn('3', '01234')]);
    expect(cache.get('t', 'a')).toBeNull();
    expect(cache.bytes).toBe(bytesOf(10) + bytesOf(5));
  });

  it('does not keep an entry larger than maxBytes alone, and drops what it replaced', () => {
    const cache = new HistoryCache({ maxEntries: 100, maxBytes: bytesOf(10) });
    cache.set('t', 'a', [turn('1', '0123456789')]);
    cache.set('t', 'a', [turn('1', '0123456789'), turn('2', 'more')]);
    expect(cache.get('t', 'a')).toBeNull();
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('replaces an entry in place of the bytes it held, and deletes', () => {
    const cache = new HistoryCache({ maxEntries: 100, maxBytes: 10_000 });
    cache.set('t', 'a', [turn('1', 'abc')]);
    cache.set('t', 'a', [turn('2', 'abcdef'), turn('1', 'abc')]);
    expect(cache.bytes).toBe(bytesOf(6) + bytesOf(3));
    cache.delete('t', 'a');
    expect(cache.get('t', 'a')).toBeNull();
    expect(cache.bytes).toBe(0);
  });

  it('holds nothing when off (0 entries or 0 bytes)', () => {
    for (const limits of [
      { maxEntries: 0, maxBytes: 10_000 },
      { maxEntries: 10, maxBytes: 0 },
    ]) {
      const cache = new HistoryCache(limits);
      cache.set('t', 'a', [turn('1')]);
      expect(cache.get('t', 'a')).toBeNull();
      expect(cache.size).toBe(0);
    }
  });

  it('keeps its own copy: a caller changing the array it stored does not change the entry', () => {
    const cache = new HistoryCache({ maxEntries: 10, maxBytes: 10_000 });
    const turns = [turn('1')];
    cache.set('t', 'a', turns);
    turns.push(turn('2'));
    expect(cache.get('t', 'a')?.turns).toHaveLength(1);
  });
});
