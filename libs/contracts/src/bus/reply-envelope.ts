import { z } from 'zod';

/** Body of a reply to a command: either the value or an error with a code. */
export const replyEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  }),
]);

export type ReplyEnvelope = z.infer<typeof replyEnvelopeSchema>;

/** Reply topic of one service: every instance of it reads it and keeps what it asked for. */
export function replyTopicName(service: string): string {
  return `bus.reply-${service}.v1`;
}
