import type { ChatMessageCompletedV1, MessageOf, UsageRecordedV1 } from '@parley/contracts';

/** A scalar property: no object, so no free text can ride along in a nested field. */
export type Scalar = string | number | boolean | null;

/**
 * What leaves Parley for a product-analytics provider: names, counts, models and ids only — built
 * field by field from an allow-list, never from a payload as a whole, so no prompt or answer text
 * is ever sent. The tenant is the `organization` group of every event.
 */
export interface ProductEvent {
  /** Stable per source event (usage id, message id): the providers' dedupe key. */
  insertId: string;
  tenantId: string;
  /** The user id, `api-key:<id>` for API traffic, or `tenant:<id>` for the organisation itself. */
  distinctId: string;
  name: string;
  timestamp: string;
  properties: Record<string, Scalar>;
}

function distinctIdOf(e: { tenantId: string; userId: string | null; apiKeyId: string | null }): string {
  return e.userId ?? (e.apiKeyId ? `api-key:${e.apiKeyId}` : `tenant:${e.tenantId}`);
}

export function usageProductEvent(e: MessageOf<typeof UsageRecordedV1>): ProductEvent {
  return {
    insertId: e.usageId,
    tenantId: e.tenantId,
    distinctId: distinctIdOf(e),
    name: 'usage recorded',
    timestamp: e.recordedAt,
    properties: {
      kind: e.kind,
      provider: e.provider,
      model: e.model,
      promptTokens: e.promptTokens,
      completionTokens: e.completionTokens,
      audioSeconds: e.kind === 'stt_seconds' ? e.quantity : 0,
      costMicros: e.costMicros,
      channel: e.apiKeyId ? 'api' : 'web',
    },
  };
}

export function messageProductEvent(e: MessageOf<typeof ChatMessageCompletedV1>): ProductEvent {
  return {
    insertId: e.messageId,
    tenantId: e.tenantId,
    distinctId: distinctIdOf(e),
    name: 'message completed',
    timestamp: e.completedAt,
    properties: {
      status: e.status,
      provider: e.provider,
      model: e.model,
      skill: e.skill,
      promptTokens: e.promptTokens,
      completionTokens: e.completionTokens,
      firstTokenMs: e.firstTokenMs,
      durationMs: e.durationMs,
      channel: e.apiKeyId ? 'api' : 'web',
    },
  };
}
