import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@parley/contracts';
import { auditCsv } from './audit-csv';

const entry: AuditEntry = {
  seq: 1,
  id: 'a',
  occurredAt: '2025-03-01T00:00:00.000Z',
  actor: { kind: 'user', id: 'u1' },
  action: 'api-key.created',
  target: { type: 'api-key', id: 'k1' },
  ip: null,
  userAgent: 'Agent, "quoted"\nnext',
  requestId: '=HYPERLINK("x")',
  details: { name: 'ci' },
  prevHash: '0',
  hash: 'h',
};

describe('auditCsv', () => {
  it('writes a header and one quoted, formula-safe line per entry', () => {
    const lines = auditCsv([entry]).split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurredAt,actorKind,actorId,action,targetType,targetId,ip,userAgent,requestId,details,prevHash,hash',
    );
    expect(auditCsv([entry])).toContain(
      `1,2025-03-01T00:00:00.000Z,user,u1,api-key.created,api-key,k1,,"Agent, ""quoted""\nnext","'=HYPERLINK(""x"")","{""name"":""ci""}",0,h\r\n`,
    );
  });
});
