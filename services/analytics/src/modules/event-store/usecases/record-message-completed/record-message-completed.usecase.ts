import { Injectable } from '@nestjs/common';
import type { ChatMessageCompletedV1, MessageOf } from '@parley/contracts';
import { TenantDb } from '@parley/tenancy';
import { Forwarder } from '../../../forwarding/forwarder';
import { messageProductEvent } from '../../../forwarding/product-event';
import { tenantOfEvent } from '../../tenant-of-event';

/**
 * Stores one `chat.message-completed.v1` (no text: the event carries none) in the tenant's
 * `analytics_messages`, keyed by the assistant message id, so each answer counts once.
 */
@Injectable()
export class RecordMessageCompletedUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly forwarder: Forwarder,
  ) {}

  async execute(event: MessageOf<typeof ChatMessageCompletedV1>): Promise<{ recorded: boolean }> {
    tenantOfEvent(event.tenantId);
    const rows = await this.db.statement<{ message_id: string }>(
      `INSERT INTO {schema}.analytics_messages
         (message_id, conversation_id, user_id, api_key_id, status, provider, model, skill, prompt_tokens,
          completion_tokens, cost_micros, first_token_ms, duration_ms, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (message_id) DO NOTHING
       RETURNING message_id`,
      [
        event.messageId,
        event.conversationId,
        event.userId,
        event.apiKeyId,
        event.status,
        event.provider,
        event.model,
        event.skill,
        event.promptTokens,
        event.completionTokens,
        event.costMicros,
        event.firstTokenMs,
        event.durationMs,
        event.completedAt,
      ],
    );
    const recorded = rows.length === 1;
    // Only what is new leaves: a redelivery forwards nothing twice.
    if (recorded) await this.forwarder.offer(messageProductEvent(event));
    return { recorded };
  }
}
