import { Injectable } from '@nestjs/common';
import type { AuditAction } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { TenantDb } from '@parley/tenancy';
import { AuditLogRepository } from '../../../audit-log/audit-log.repository';
import { stableUuid } from '../../../event-store/stable-uuid';
import { tenantOfEvent } from '../../../event-store/tenant-of-event';
import { Forwarder } from '../../../forwarding/forwarder';
import type { ProductEvent } from '../../../forwarding/product-event';

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
  /**
   * The fact's own identity when it has one (a sign-in's session): the row is keyed on it, so the
   * same fact announced twice is recorded once. By default, the bus message id.
   */
  factId?: string;
  /** What product analytics learns of it (sign-ups and sign-ins), offered once, when it is new. */
  product?: ProductEvent;
}

/**
 * Records a tenant or auth event in the tenant's own schema (`analytics_events`). The row id
 * derives from the bus message id, so a redelivery that slips past the inbox writes nothing twice.
 * An administrative change is also appended to the tenant's audit log (its audit id derives from
 * the same message id, so it is appended once too). A new sign-up or sign-in is offered to the
 * product-analytics forwarder, which checks the tenant's consent.
 */
@Injectable()
export class RecordPlatformEventUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly auditLog: AuditLogRepository,
    private readonly forwarder: Forwarder,
  ) {}

  async execute(event: PlatformEvent): Promise<{ recorded: boolean }> {
    tenantOfEvent(event.tenantId);
    const messageId = RequestContext.current()?.messageId ?? `${event.tenantId}:${event.type}:${event.occurredAt}`;
    const rows = await this.db.statement<{ id: string }>(
      `INSERT INTO {schema}.analytics_events (id, type, occurred_at, data)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [stableUuid(event.factId ?? messageId), event.type, event.occurredAt, JSON.stringify(event.data)],
    );
    if (event.audit) {
      await this.auditLog.append({
        auditId: stableUuid(`${messageId}:audit`),
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
    const recorded = rows.length === 1;
    if (recorded && event.product) await this.forwarder.offer(event.product);
    return { recorded };
  }
}
