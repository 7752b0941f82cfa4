import { DomainException, ErrorCode } from '@parley/contracts';

/** Where a page ends in a `(timestamp DESC, id DESC)` order: the last row's timestamp (µs, UTC) and id. */
export interface PageKey {
  at: string;
  id: string;
  /** Conversations: whether the row is pinned (pinned ones come first). */
  pinned?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The SQL expression of a row's page key timestamp: microseconds in UTC, so a cursor keeps the
 * full precision of `timestamptz` (a JS Date would round to milliseconds and skip or repeat rows).
 */
export const pageKeySql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Opaque to clients: base64url of the key. */
export function encodeCursor(key: PageKey): string {
  const parts = key.pinned === undefined ? [key.at, key.id] : [key.at, key.id, key.pinned];
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | undefined): PageKey | null {
  if (raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && (value.length === 2 || value.length === 3)) {
      const [at, id, pinned] = value as unknown[];
      if (typeof at === 'string' && AT.test(at) && typeof id === 'string' && ID.test(id)) {
        if (value.length === 2) return { at, id };
        if (typeof pinned === 'boolean') return { at, id, pinned };
      }
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainException(ErrorCode.ValidationFailed, 'Invalid cursor', {
    issues: ['cursor: must be a nextCursor value from an earlier page'],
  });
}

/** Turns `limit + 1` rows into a page: the extra row only tells that there is a next page. */
export function toPage<Row extends { sort_key: string; id: string; pinned?: boolean }, T>(
  rows: Row[],
  limit: number,
  view: (row: Row) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.sort_key, id: last.id, pinned: last.pinned }) : null,
  };
}
