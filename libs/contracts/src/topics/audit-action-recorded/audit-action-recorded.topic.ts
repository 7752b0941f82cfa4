import { z } from 'zod';
import { auditActionSchema, auditActorKindSchema, auditDetailsSchema } from '../../audit/audit-actions';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const auditActionRecordedV1Schema = z.strictObject({
  /** Unique per action: the audit log stores it once. */
  auditId: uuidSchema,
  tenantId: uuidSchema,
  actor: z.strictObject({ kind: auditActorKindSchema, id: z.string().min(1).max(200).nullable() }),
  action: auditActionSchema,
  target: z.strictObject({ type: z.string().min(1).max(64), id: z.string().min(1).max(200).nullable() }),
  occurredAt: isoDateSchema,
  /** The client address the gateway saw, when a request caused it. */
  ip: z.string().min(1).max(64).nullable(),
  userAgent: z.string().min(1).max(512).nullable(),
  requestId: z.string().min(1).max(128).nullable(),
  details: auditDetailsSchema,
});

/**
 * An admin action happened (a member's role changed, an API key was created, …): the analytics
 * service appends it to the tenant's hash-chained audit log. Producers write it to their outbox in
 * the action's own transaction. Key: tenantId (one ordered chain per tenant).
 */
export const AuditActionRecordedV1 = defineEvent({
  name: 'audit.action-recorded.v1',
  schema: auditActionRecordedV1Schema,
  key: (message) => message.tenantId,
});
