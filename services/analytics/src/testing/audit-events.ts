import { randomUUID } from 'node:crypto';
import type { AuditActionRecordedV1, MessageOf } from '@parley/contracts';

export type AuditAction = MessageOf<typeof AuditActionRecordedV1>;

/** An `audit.action-recorded.v1` as auth would emit it for an admin's action. */
export function auditEvent(tenantId: string, fields: Partial<AuditAction> = {}): AuditAction {
  return {
    auditId: randomUUID(),
    tenantId,
    actor: { kind: 'user', id: randomUUID() },
    action: 'member.role-changed',
    target: { type: 'member', id: randomUUID() },
    occurredAt: new Date().toISOString(),
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    requestId: `req-${randomUUID()}`,
    details: { from: 'member', to: 'admin' },
    ...fields,
  };
}
