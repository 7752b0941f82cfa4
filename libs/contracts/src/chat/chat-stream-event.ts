import { z } from 'zod';
import { assistantMessageStatusSchema } from '../topics/chat-message-completed/chat-message-completed.topic';
import { uuidSchema } from '../topics/common.schema';

/**
 * The events of one streamed answer, identical over Server-Sent Events (`event: <type>`, `id: <seq>`,
 * `data: <json>`) and the `/ws` WebSocket (one JSON text frame each). Per message, `seq` counts every
 * event from 0 without gaps, so a client sees loss or reordering at once; `token.index` counts tokens.
 */
const base = {
  conversationId: uuidSchema,
  /** The assistant message being written. */
  messageId: uuidSchema,
  seq: z.number().int().nonnegative(),
};

export const messageStartedEventSchema = z.strictObject({
  type: z.literal('message.started'),
  ...base,
  userMessageId: uuidSchema,
  provider: z.string(),
  model: z.string(),
  skill: z.string().nullable(),
  /** Echo of the client's correlation id (WebSocket `requestId`, HTTP `x-request-id`), if any. */
  requestId: z.string().nullable(),
});

export const tokenEventSchema = z.strictObject({
  type: z.literal('token'),
  ...base,
  index: z.number().int().nonnegative(),
  text: z.string(),
});

export const usageSchema = z.strictObject({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  estimated: z.boolean(),
  costMicros: z.number().int().nonnegative(),
});

export const messageCompletedEventSchema = z.strictObject({
  type: z.literal('message.completed'),
  ...base,
  status: assistantMessageStatusSchema,
  finishReason: z.string().nullable(),
  usage: usageSchema,
});

/** A failure. Before `message.started` only `code`, `message` (and `requestId`) are set. */
export const streamErrorEventSchema = z.strictObject({
  type: z.literal('error'),
  conversationId: uuidSchema.nullable(),
  messageId: uuidSchema.nullable(),
  seq: z.number().int().nonnegative().nullable(),
  code: z.string(),
  message: z.string(),
  requestId: z.string().nullable(),
  /** True when a partial answer was stored (status `failed`). */
  partial: z.boolean(),
});

export const chatStreamEventSchema = z.discriminatedUnion('type', [
  messageStartedEventSchema,
  tokenEventSchema,
  messageCompletedEventSchema,
  streamErrorEventSchema,
]);

export type ChatStreamEvent = z.infer<typeof chatStreamEventSchema>;
export type MessageStartedEvent = z.infer<typeof messageStartedEventSchema>;
export type TokenEvent = z.infer<typeof tokenEventSchema>;
export type MessageCompletedEvent = z.infer<typeof messageCompletedEventSchema>;
export type StreamErrorEvent = z.infer<typeof streamErrorEventSchema>;
export type ChatUsage = z.infer<typeof usageSchema>;

/** The SSE frame of an event: `event`, `id` (seq, when set) and one `data` line. */
export function toSseFrame(event: ChatStreamEvent): string {
  const id = event.seq === null ? '' : `id: ${event.seq}\n`;
  return `event: ${event.type}\n${id}data: ${JSON.stringify(event)}\n\n`;
}
