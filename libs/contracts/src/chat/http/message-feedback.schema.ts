import { z } from 'zod';

export const FEEDBACK_COMMENT_MAX_CHARS = 2000;
export const feedbackRatingSchema = z.enum(['up', 'down']);

/** `POST /api/v1/messages/{id}/feedback`: on an answer in one of the caller's conversations. */
export const messageFeedbackBodySchema = z.strictObject({
  rating: feedbackRatingSchema,
  /** Trimmed; blank or null: no comment. */
  comment: z
    .string()
    .trim()
    .max(FEEDBACK_COMMENT_MAX_CHARS)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL')
    .nullish()
    .transform((value) => (value ? value : null)),
});

export const messageFeedbackSchema = z.object({
  messageId: z.uuid(),
  rating: feedbackRatingSchema,
  comment: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type FeedbackRating = z.infer<typeof feedbackRatingSchema>;
export type MessageFeedbackBody = z.infer<typeof messageFeedbackBodySchema>;
export type MessageFeedback = z.infer<typeof messageFeedbackSchema>;
