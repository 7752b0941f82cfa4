import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './page-cursor';

describe('page cursors', () => {
  const key = { at: '2026-11-24T09:05:30.123456Z', id: '3e9c1a2b-4d5f-4a6b-8c7d-9e0f1a2b3c4d' };

  it('round-trips a key through an opaque string', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
    expect(decodeCursor(undefined)).toBeNull();
  });

  it.each([
    ['not base64 json', 'zzz'],
    ['a wrong shape', Buffer.from('{"at":"x"}').toString('base64url')],
    ['a millisecond timestamp', encodeCursor({ ...key, at: '2026-11-24T09:05:30.123Z' })],
    ['a non-uuid id', encodeCursor({ ...key, id: "1' OR 1=1" })],
  ])('refuses %s with validation_failed', (_what, raw) => {
    expect(() => decodeCursor(raw)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('gives a next cursor only when there is one more row than the limit', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `id-${n}`, sort_key: `k${n}` }));
    const full = toPage(rows, 2, (r) => r.id);
    expect(full.items).toEqual(['id-1', 'id-2']);
    expect(decodeCursorLoose(full.nextCursor)).toEqual(['k2', 'id-2']);
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
    expect(toPage([], 3, (r: { id: string; sort_key: string }) => r.id)).toEqual({ items: [], nextCursor: null });
  });
});

function decodeCursorLoose(cursor: string | null): unknown {
  return cursor === null ? null : JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}
