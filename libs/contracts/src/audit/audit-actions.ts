import { z } from 'zod';

/**
 * Every admin action the audit log records, `<what>.<verb>`. Clients filter on these; never change
 * a published value (add new ones).
 */
export const AUDIT_ACTIONS = [
  'member.added',
  'member.removed',
  'member.role-changed',
  'member.signed-out',
  'invite.created',
  'invite.revoked',
  'api-key.created',
  'api-key.revoked',
  'provider-key.set',
  'provider-key.removed',
  'sso.configured',
  'sso.removed',
  'billing.changed',
  'settings.changed',
  'tenant.plan-changed',
  'tenant.features-changed',
  'tenant.suspended',
  'tenant.resumed',
  'tenant.deleted',
  'tenant.restored',
  'audit.exported',
  'data.exported',
  'data.deleted',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Who acted: a person, an API key, or the platform itself (a job, a provider webhook). */
export const AUDIT_ACTOR_KINDS = ['user', 'api-key', 'system'] as const;
export const auditActorKindSchema = z.enum(AUDIT_ACTOR_KINDS);
export type AuditActorKind = z.infer<typeof auditActorKindSchema>;

/** Small facts about an action (old and new role, a key's name): never secrets, never content. */
export const auditDetailsSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 details');
