import { z } from 'zod';
import { auditActionSchema, auditActorKindSchema } from '../audit-actions';

/** Entries per page of `GET /api/v1/analytics/audit` (default and most). */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_EXPORT_FORMATS = ['csv', 'json'] as const;

const filters = {
  /** Entries at or after this instant (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Entries before this instant (ISO 8601). */
  to: z.iso.datetime({ offset: true }).optional(),
  action: auditActionSchema.optional(),
  actorId: z.string().min(1).max(200).optional(),
  targetType: z.string().min(1).max(64).optional(),
  targetId: z.string().min(1).max(200).optional(),
};

export const auditListQuerySchema = z.strictObject({
  ...filters,
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
  /** The `nextCursor` of the previous page: entries older than it. */
  cursor: z
    .string()
    .regex(/^[0-9]{1,19}$/, 'must be a cursor from a previous page')
    .optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditExportQuerySchema = z.strictObject({ ...filters, format: z.enum(AUDIT_EXPORT_FORMATS) });
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;

export const auditEntrySchema = z.object({
  /** Position in the tenant's chain (1, 2, …; retention removes the oldest). */
  seq: z.number().int(),
  id: z.string(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ kind: auditActorKindSchema, id: z.string().nullable() }),
  action: auditActionSchema,
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** sha256 of the previous entry's hash and this entry's fields (hex). */
  hash: z.string(),
  prevHash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `cursor` for older entries; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
