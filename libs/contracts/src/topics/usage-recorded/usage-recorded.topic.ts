import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const usageKindSchema = z.enum(['chat_tokens', 'stt_seconds']);

export const usageRecordedV1Schema = z.strictObject({
  /** Unique per usage record: consumers dedupe on it (billing meters it once). */
  usageId: uuidSchema,
  tenantId: uuidSchema,
  userId: uuidSchema.nullable(),
  apiKeyId: uuidSchema.nullable(),
  kind: usageKindSchema,
  /** What produced it, e.g. the assistant message id. */
  sourceId: z.string().min(1).max(200),
  provider: z.string().min(1).max(100).nullable(),
  model: z.string().min(1).max(200).nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Seconds of audio (stt_seconds); 0 for chat. */
  quantity: z.number().nonnegative(),
  estimated: z.boolean(),
  costMicros: z.number().int().nonnegative(),
  priceTableVersion: z.string().min(1).max(40).nullable(),
  recordedAt: isoDateSchema,
});

/** Metered usage for billing and analytics, once per completion (or transcription). Key: tenantId. */
export const UsageRecordedV1 = defineEvent({
  name: 'usage.recorded.v1',
  schema: usageRecordedV1Schema,
  key: (message) => message.tenantId,
});
