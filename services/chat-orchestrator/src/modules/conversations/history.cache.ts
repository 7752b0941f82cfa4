import type { MessageStatus } from './message.view';

/** A stored turn as history for the next prompt, with its place in the conversation's order. */
export interface CachedTurn {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  /** `created_at`, µs in UTC (`pageKeySql`): with `id`, the turn's key in `(created_at, id)` order. */
  at: string;
}

/** A conversation's eligible history as this replica last read it: newest first. */
export interface CachedHistory {
  turns: readonly CachedTurn[];
  bytes: number;
}

/** A turn's share of the byte limit: its text (UTF-16, as held) and a fixed allowance for the rest. */
const TURN_OVERHEAD_BYTES = 160;

function sizeOf(turns: readonly CachedTurn[]): number {
  return turns.reduce((sum, turn) => sum + turn.content.length * 2 + TURN_OVERHEAD_BYTES, 0);
}

/**
 * Per replica, the history each conversation had when this replica last read it, so the next turn
 * reads only the turns added since (the exchange statement checks the cached range is intact, and
 * reads everything again when it is not). A bounded LRU: at most `maxEntries` conversations and
 * `maxBytes` in all; the least recently used go first; an entry larger than `maxBytes` alone is
 * not kept. Keyed by tenant and conversation: an entry is never served to another tenant, and
 * owning the conversation is still checked by the statement on every turn.
 */
export class HistoryCache {
  private readonly entries = new Map<string, CachedHistory>();
  private total = 0;

  constructor(private readonly limits: { maxEntries: number; maxBytes: number }) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  get(tenantId: string, conversationId: string): CachedHistory | null {
    const key = keyOf(tenantId, conversationId);
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key); // most recently used goes last
    this.entries.set(key, entry);
    return entry;
  }

  set(tenantId: string, conversationId: string, turns: readonly CachedTurn[]): void {
    const key = keyOf(tenantId, conversationId);
    this.delete(tenantId, conversationId);
    const bytes = sizeOf(turns);
    if (this.limits.maxEntries === 0 || this.limits.maxBytes === 0 || bytes > this.limits.maxBytes) return;
    this.entries.set(key, { turns: Object.freeze([...turns]), bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.total <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  delete(tenantId: string, conversationId: string): void {
    const key = keyOf(tenantId, conversationId);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }
}

function keyOf(tenantId: string, conversationId: string): string {
  return `${tenantId}:${conversationId}`;
}
