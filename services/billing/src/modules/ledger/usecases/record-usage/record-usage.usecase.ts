import { Injectable } from '@nestjs/common';
import type { LedgerKind, MessageOf, UsageRecordedV1 } from '@parley/contracts';
import { SyncBillingGateUseCase } from '../../../budgets/usecases/sync-billing-gate/sync-billing-gate.usecase';
import { LedgerRepository } from '../../ledger.repository';

const KIND: Readonly<Record<MessageOf<typeof UsageRecordedV1>['kind'], LedgerKind>> = {
  chat_tokens: 'tokens',
  stt_seconds: 'audio_seconds',
};

/**
 * `usage.recorded.v1` → one ledger row per usage id. A redelivery, a duplicate publication (an
 * outbox relay repeating after a crash) or a second consumer replica writes nothing more: the
 * usage id is the primary key. Then the tenant's billing gate is rewritten from the ledger (a
 * budget this usage used up stops the next request), also on a redelivery, so a gate write that
 * failed converges on the retry. Reporting to Stripe happens after, from the ledger.
 */
@Injectable()
export class RecordUsageUseCase {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly gate: SyncBillingGateUseCase,
  ) {}

  async execute(event: MessageOf<typeof UsageRecordedV1>): Promise<boolean> {
    const kind = KIND[event.kind];
    const inserted = await this.ledger.insert({
      usageId: event.usageId,
      tenantId: event.tenantId,
      userId: event.userId,
      apiKeyId: event.apiKeyId,
      kind,
      provider: event.provider,
      engine: event.model,
      quantity: kind === 'tokens' ? event.promptTokens + event.completionTokens : event.quantity,
      costMicros: event.costMicros,
      estimated: event.estimated,
      sourceId: event.sourceId,
      recordedAt: event.recordedAt,
    });
    await this.gate.execute(event.tenantId);
    return inserted;
  }
}
