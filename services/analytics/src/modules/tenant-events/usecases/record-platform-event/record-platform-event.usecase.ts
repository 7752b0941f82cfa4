import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext } from '@parley/observability';
import { TenantDb } from '@parley/tenancy';
import { tenantOfEvent } from '../../../event-store/tenant-of-event';

/** A tenant or auth fact as the event store keeps it: its type without the version, when, and the payload. */
export interface PlatformEvent {
  /** The topic without its version: `tenant.created`, `auth.membership-changed`. */
  type: string;
  tenantId: string;
  occurredAt: string;
  data: object;
}

/**
 * Records a tenant or auth event in the tenant's own schema (`analytics_events`). The row id
 * derives from the bus message id, so a redelivery that slips past the inbox writes nothing twice.
 */
@Injectable()
export class RecordPlatformEventUseCase {
  constructor(private readonly db: TenantDb) {}

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
    return { recorded: rows.length === 1 };
  }
}

function uuidFrom(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return value;
  const h = createHash('sha1').update(value).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
