import { Injectable } from '@nestjs/common';
import type { MessageOf, UsageRecordedV1 } from '@parley/contracts';
import { TenantDb } from '@parley/tenancy';
import { Forwarder } from '../../../forwarding/forwarder';
import { usageProductEvent } from '../../../forwarding/product-event';
import { tenantOfEvent } from '../../tenant-of-event';

/**
 * Stores one `usage.recorded.v1` in the tenant's `analytics_usage`, keyed by its usageId: a
 * redelivery (or a replay) writes nothing twice, so the usage totals are exactly the sum of the
 * distinct usage events, the same ones billing meters.
 */
@Injectable()
export class RecordUsageUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly forwarder: Forwarder,
  ) {}

  async execute(event: MessageOf<typeof UsageRecordedV1>): Promise<{ recorded: boolean }> {
    tenantOfEvent(event.tenantId);
    const rows = await this.db.statement<{ usage_id: string }>(
      `INSERT INTO {schema}.analytics_usage
         (usage_id, kind, user_id, api_key_id, source_id, provider, model, prompt_tokens, completion_tokens,
          quantity, estimated, cost_micros, price_table_version, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (usage_id) DO NOTHING
       RETURNING usage_id`,
      [
        event.usageId,
        event.kind,
        event.userId,
        event.apiKeyId,
        event.sourceId,
        event.provider,
        event.model,
        event.promptTokens,
        event.completionTokens,
        event.quantity,
        event.estimated,
        event.costMicros,
        event.priceTableVersion,
        event.recordedAt,
      ],
    );
    const recorded = rows.length === 1;
    // Only what is new leaves: a redelivery forwards nothing twice.
    if (recorded) await this.forwarder.offer(usageProductEvent(event));
    return { recorded };
  }
}
