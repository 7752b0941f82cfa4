import { z } from 'zod';

const noNul = (value: string) => !value.includes('\u0000');

/** `Conversation` of the public API. */
export const conversationSchema = z.object({
  id: z.uuid(),
  title: z.string().min(1).max(200),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastMessageAt: z.iso.datetime().nullable(),
  messageCount: z.number().int().min(0),
  /** Pinned conversations come first in the list. */
  pinned: z.boolean(),
});

/** `PATCH /api/v1/conversations/{id}`: rename (title trimmed, 1..200) and/or pin; at least one. */
export const updateConversationBodySchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be blank').max(200).refine(noNul, 'must not contain NUL').optional(),
    pinned: z.boolean().optional(),
  })
  .refine((body) => body.title !== undefined || body.pinned !== undefined, 'give title, pinned or both');

/** Bounds of `GET /api/v1/conversations`: page size, and the longest search text. */
export const CONVERSATION_PAGE_MAX = 100;
export const CONVERSATION_SEARCH_MAX_CHARS = 200;

/**
 * `GET /api/v1/conversations?limit&cursor&q`: without `q` the caller's conversations, newest activity
 * first; with `q` those whose title or messages match it, best match first.
 */
export const listConversationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(CONVERSATION_PAGE_MAX).default(20),
  cursor: z.string().min(1).max(200).optional(),
  q: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(CONVERSATION_SEARCH_MAX_CHARS)
    .refine(noNul, 'must not contain NUL')
    .optional(),
});

/** A piece of a search snippet: `highlight` marks the text that matched. Plain text, never HTML. */
export const snippetSegmentSchema = z.object({ text: z.string(), highlight: z.boolean() });

/** Why a conversation matched a search: its best-matching message (or its title when null). */
export const conversationMatchSchema = z.object({
  rank: z.number(),
  messageId: z.uuid().nullable(),
  snippet: z.array(snippetSegmentSchema),
});

export const conversationPageSchema = z.object({
  /** With `q`, each item also has `match`. */
  items: z.array(conversationSchema.extend({ match: conversationMatchSchema.optional() })),
  nextCursor: z.string().nullable(),
});

export type Conversation = z.infer<typeof conversationSchema>;
export type UpdateConversationBody = z.infer<typeof updateConversationBodySchema>;
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;
export type SnippetSegment = z.infer<typeof snippetSegmentSchema>;
export type ConversationMatch = z.infer<typeof conversationMatchSchema>;

/** `POST /api/v1/conversations/{id}/regenerate`: the last question answered again, optionally by another model. */
export const regenerateBodySchema = z.strictObject({
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/@+-]+$/, 'must be a model name such as gpt-4.1-mini or claude-sonnet-4-5')
    .optional(),
});
