import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditAction } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { TenantDb } from '@parley/tenancy';
import { AuditLogRepository } from '../../../audit-log/audit-log.repository';
import { tenantOfEvent } from '../../../event-store/tenant-of-event';

/** A tenant or auth fact as the event store keeps it: its type without the version, when, and the payload. */
export interface PlatformEvent {
  /** The topic without its version: `tenant.created`, `auth.membership-changed`. */
  type: string;
  tenantId: string;
  occurredAt: string;
  data: object;
  /**
   * When the event is an administrative change of the tenant (plan, flags, suspension, deletion):
   * the audit entry it also becomes, by the platform (`system`) on the tenant.
   */
  audit?: { action: AuditAction; details: Record<string, string | number | boolean | null> };
}

/**
 * Records a tenant or auth event in the tenant's own schema (`analytics_events`). The row id
 * derives from the bus message id, so a redelivery that slips past the inbox writes nothing twice.
 * An administrative change is also appended to the tenant's audit log (its audit id derives from
 * the same message id, so it is appended once too).
 */
@Injectable()
export class RecordPlatformEventUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly auditLog: AuditLogRepository,
  ) {}

  async execute(event: PlatformEvent): Promise<{ recorded: boolean }> {
    tenantOfEvent(event.tenantId);
    const messageId = RequestContext.current()?.messageId ?? `${event.tenantId}:${event.type}:${event.occurredAt}`;
    const rows = await this.db.statement<{ id: string }>(
      `INSERT INTO {schema}.analytics_events (id, type, occurred_at, data)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [uuidFrom(messageId), event.type, event.occurredAt, JSON.stringify(event.data)],
    );
    if (event.audit) {
      await this.auditLog.append({
        auditId: uuidFrom(`${messageId}:audit`),
        tenantId: event.tenantId,
        actor: { kind: 'system', id: null },
        action: event.audit.action,
        target: { type: 'tenant', id: event.tenantId },
        occurredAt: event.occurredAt,
        ip: null,
        userAgent: null,
        requestId: RequestContext.current()?.requestId ?? null,
        details: event.audit.details,
      });
    }
    return { recorded: rows.length === 1 };
  }
}

function uuidFrom(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return value;
  const h = createHash('sha1').update(value).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
