import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';

export interface AnalyticsEventView {
  id: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

@Injectable()
export class ListTenantEventsUseCase {
  constructor(private readonly db: TenantDb) {}

  execute(tenantId: string, limit: number): Promise<AnalyticsEventView[]> {
    return TenantContext.run(tenantId, () =>
      this.db.run(async (scope) => {
        const rows = await scope.query<{ id: string; type: string; occurred_at: Date; data: unknown }>(
          'SELECT id, type, occurred_at, data FROM analytics_events ORDER BY occurred_at DESC, id LIMIT $1',
          [limit],
        );
        return rows.map((r) => ({ id: r.id, type: r.type, occurredAt: r.occurred_at.toISOString(), data: r.data }));
      }),
    );
  }
}
