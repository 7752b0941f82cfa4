import { randomUUID } from 'node:crypto';
import type { ChatMessageCompletedV1, MessageOf, UsageRecordedV1 } from '@parley/contracts';

export type Usage = MessageOf<typeof UsageRecordedV1>;
export type Completed = MessageOf<typeof ChatMessageCompletedV1>;

/** A `usage.recorded.v1` as chat emits it for a completion (override what the test is about). */
export function usageEvent(tenantId: string, fields: Partial<Usage> = {}): Usage {
  return {
    usageId: randomUUID(),
    tenantId,
    userId: null,
    apiKeyId: null,
    kind: 'chat_tokens',
    sourceId: randomUUID(),
    provider: 'openai',
    model: 'gpt-4o-mini',
    promptTokens: 10,
    completionTokens: 20,
    quantity: 0,
    estimated: false,
    costMicros: 100,
    priceTableVersion: '2025-01',
    recordedAt: new Date().toISOString(),
    ...fields,
  };
}

/** A `chat.message-completed.v1` as chat emits it when an answer is stored. */
export function completedEvent(tenantId: string, fields: Partial<Completed> = {}): Completed {
  return {
    tenantId,
    conversationId: randomUUID(),
    messageId: randomUUID(),
    userId: null,
    apiKeyId: null,
    status: 'complete',
    provider: 'openai',
    model: 'gpt-4o-mini',
    skill: null,
    promptTokens: 10,
    completionTokens: 20,
    usageEstimated: false,
    costMicros: 100,
    priceTableVersion: '2025-01',
    firstTokenMs: 120,
    durationMs: 900,
    completedAt: new Date().toISOString(),
    ...fields,
  };
}
