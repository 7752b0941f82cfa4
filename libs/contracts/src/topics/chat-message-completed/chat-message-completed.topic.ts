import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

/** How an assistant message ended. `stopped`: the client stopped it or went away; `failed`: the provider broke off. */
export const assistantMessageStatusSchema = z.enum(['complete', 'stopped', 'failed']);

export const chatMessageCompletedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  conversationId: uuidSchema,
  messageId: uuidSchema,
  /** The user who sent the prompt; null for an API key. */
  userId: uuidSchema.nullable(),
  apiKeyId: uuidSchema.nullable(),
  status: assistantMessageStatusSchema,
  provider: z.string().min(1).max(100),
  model: z.string().min(1).max(200),
  skill: z.string().min(1).max(64).nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** True when the provider reported no usage and the counts come from the tokenizer. */
  usageEstimated: z.boolean(),
  /** Cost in millionths of a US dollar, from the price table version below. */
  costMicros: z.number().int().nonnegative(),
  priceTableVersion: z.string().min(1).max(40),
  /** Milliseconds from the request to the first token; null when no token came. */
  firstTokenMs: z.number().int().nonnegative().nullable(),
  durationMs: z.number().int().nonnegative(),
  completedAt: isoDateSchema,
});

/** An assistant message finished (completely, stopped or failed) and is stored. Key: tenantId:conversationId. */
export const ChatMessageCompletedV1 = defineEvent({
  name: 'chat.message-completed.v1',
  schema: chatMessageCompletedV1Schema,
  key: (message) => `${message.tenantId}:${message.conversationId}`,
});
