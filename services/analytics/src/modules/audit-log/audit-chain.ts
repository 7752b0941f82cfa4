import { createHash } from 'node:crypto';

/** The `prev_hash` of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers (everything but the hashes and the store's own timestamps). */
export interface ChainedFields {
  seq: number;
  id: string;
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface ChainedEntry extends ChainedFields {
  prevHash: string;
  hash: string;
}

/** sha256 (hex) of the previous hash and the entry's fields in a fixed order (details with sorted keys). */
export function entryHash(prevHash: string, f: ChainedFields): string {
  const details = Object.fromEntries(
    Object.keys(f.details)
      .sort()
      .map((k) => [k, f.details[k]]),
  );
  const body = JSON.stringify([
    f.seq,
    f.id,
    new Date(f.occurredAt).toISOString(),
    f.actorKind,
    f.actorId,
    f.action,
    f.targetType,
    f.targetId,
    f.ip,
    f.userAgent,
    f.requestId,
    details,
  ]);
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

export type BrokenReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap';

export interface BrokenLink {
  seq: number;
  id: string;
  reason: BrokenReason;
}

/**
 * Checks a chain incrementally (entries in seq order, in as many batches as needed): each entry
 * must follow the previous one's seq, name its hash as `prevHash`, and hash to its own `hash`. The
 * first entry must match the start (the genesis, or the anchor retention left).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private expectedPrev: string;
  checked = 0;
  broken: BrokenLink | null = null;

  constructor(start: { firstSeq: number; prevHash: string } = { firstSeq: 1, prevHash: GENESIS_HASH }) {
    this.expectedSeq = start.firstSeq;
    this.expectedPrev = start.prevHash;
  }

  /** Feeds the next entries; returns false once a broken link is found (stop reading). */
  feed(entries: readonly ChainedEntry[]): boolean {
    for (const entry of entries) {
      if (this.broken) return false;
      const reason: BrokenReason | null =
        entry.seq !== this.expectedSeq
          ? 'seq_gap'
          : entry.prevHash !== this.expectedPrev
            ? 'prev_hash_mismatch'
            : entryHash(entry.prevHash, entry) !== entry.hash
              ? 'hash_mismatch'
              : null;
      if (reason) {
        this.broken = { seq: entry.seq, id: entry.id, reason };
        return false;
      }
      this.checked += 1;
      this.expectedSeq = entry.seq + 1;
      this.expectedPrev = entry.hash;
    }
    return true;
  }
}
