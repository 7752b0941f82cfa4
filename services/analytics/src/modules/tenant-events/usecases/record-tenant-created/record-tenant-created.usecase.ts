import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { MessageOf, TenantCreatedV1 } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { TenantDb } from '@parley/tenancy';

/**
 * Records a tenant's creation in its own schema. The row id derives from the bus message id, so a
 * redelivery that slips past the inbox still writes nothing twice.
 */
@Injectable()
export class RecordTenantCreatedUseCase {
  constructor(private readonly db: TenantDb) {}

  async execute(event: MessageOf<typeof TenantCreatedV1>): Promise<{ recorded: boolean }> {
    const messageId = RequestContext.current()?.messageId ?? `${event.tenantId}:tenant.created`;
    const rows = await this.db.run((scope) =>
      scope.query<{ id: string }>(
        `INSERT INTO analytics_events (id, type, occurred_at, data)
         VALUES ($1, 'tenant.created', $2, $3)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [uuidFrom(messageId), event.createdAt, JSON.stringify(event)],
      ),
    );
    return { recorded: rows.length === 1 };
  }
}

function uuidFrom(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return value;
  const h = createHash('sha1').update(value).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
