import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, entryHash, GENESIS_HASH, type ChainedEntry, type ChainedFields } from './audit-chain';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      seq,
      id: randomUUID(),
      occurredAt: new Date(Date.UTC(2025, 2, 1, 0, 0, seq)).toISOString(),
      actorKind: 'user',
      actorId: randomUUID(),
      action: 'member.role-changed',
      targetType: 'member',
      targetId: randomUUID(),
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      requestId: `req-${seq}`,
      details: { to: 'admin', from: 'member' },
    };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const verify = (entries: ChainedEntry[], start?: { firstSeq: number; prevHash: string }) => {
  const v = new ChainVerifier(start);
  v.feed(entries.slice(0, 2));
  v.feed(entries.slice(2));
  return { checked: v.checked, broken: v.broken };
};

describe('the audit hash chain', () => {
  it('verifies an untouched chain, fed in batches', () => {
    expect(verify(chain(5))).toEqual({ checked: 5, broken: null });
  });

  it('does not depend on the order of the details keys (jsonb reorders them)', () => {
    const [e] = chain(1) as [ChainedEntry];
    expect(entryHash(GENESIS_HASH, { ...e, details: { from: 'member', to: 'admin' } })).toBe(e.hash);
  });

  it('reports an altered entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, details: { to: 'owner', from: 'member' } };
    expect(verify(entries)).toEqual({ checked: 2, broken: { seq: 3, id: entries[2].id, reason: 'hash_mismatch' } });
  });

  it('reports a removed entry (seq gap) and a re-hashed forgery (the next link no longer matches)', () => {
    const removed = chain(5);
    removed.splice(1, 1);
    expect(verify(removed).broken).toMatchObject({ seq: 3, reason: 'seq_gap' });
    const forged = chain(4);
    const altered = { ...forged[1]!, actorId: 'someone-else' };
    forged[1] = { ...altered, hash: entryHash(altered.prevHash, altered) };
    expect(verify(forged).broken).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
  });

  it('starts where retention left the chain, and refuses a head removed without it', () => {
    const entries = chain(6);
    const kept = entries.slice(3);
    expect(verify(kept, { firstSeq: 4, prevHash: entries[2]!.hash })).toEqual({ checked: 3, broken: null });
    expect(verify(kept).broken).toMatchObject({ seq: 4, reason: 'seq_gap' });
  });
});
