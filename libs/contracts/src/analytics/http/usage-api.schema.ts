import { z } from 'zod';

/** How `GET /api/v1/analytics/usage` splits its figures. */
export const USAGE_GROUP_BY = ['day', 'member', 'model', 'apiKey', 'channel'] as const;
export const usageGroupBySchema = z.enum(USAGE_GROUP_BY);
export type UsageGroupBy = z.infer<typeof usageGroupBySchema>;

/** Where traffic came from: the web app (a person's session) or the API (an API key). */
export const USAGE_CHANNELS = ['web', 'api'] as const;
export const usageChannelSchema = z.enum(USAGE_CHANNELS);
export type UsageChannel = z.infer<typeof usageChannelSchema>;

/** Longest range one request may ask for, in UTC days (both ends included). */
export const USAGE_MAX_DAYS = 366;
/** The range when none is given: the last 30 UTC days, today included. */
export const USAGE_DEFAULT_DAYS = 30;
/** How many skills `topSkills` lists. */
export const USAGE_TOP_SKILLS = 5;

export const usageQuerySchema = z.strictObject({
  /** First UTC day, YYYY-MM-DD (default: 29 days before `to`). */
  from: z.string().optional(),
  /** Last UTC day, YYYY-MM-DD, included (default: today). */
  to: z.string().optional(),
  groupBy: usageGroupBySchema.optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

/** What one slice of usage amounts to. Tokens, cost and audio come from `usage.recorded.v1` only. */
export const usageFiguresSchema = z.object({
  /** Distinct people (not API keys) with a completed message, a usage record or a sign-in. */
  activePeople: z.number().int(),
  conversations: z.number().int(),
  /** Completed assistant messages (`chat.message-completed.v1`, whatever their status). */
  messages: z.number().int(),
  /** Usage records (`usage.recorded.v1`) counted. */
  usageRecords: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costMicros: z.number().int(),
  audioSeconds: z.number(),
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageReportSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  groupBy: usageGroupBySchema,
  /** `tenant` for owners and admins; `self` for everyone else (their own usage only). */
  scope: z.enum(['tenant', 'self']),
  totals: usageFiguresSchema,
  /** Distinct active people on `to`, in the 7 and in the 30 UTC days that end on `to`. */
  activePeople: z.object({ daily: z.number().int(), weekly: z.number().int(), monthly: z.number().int() }),
  /** Web app versus API traffic. */
  channels: z.object({ web: usageFiguresSchema, api: usageFiguresSchema }),
  topSkills: z.array(z.object({ skill: z.string(), messages: z.number().int() })),
  /**
   * One row per group: every day of the range for `day` (zeros included), else every key with
   * activity. `key` is null for what has none (web traffic by API key, audio by model).
   */
  groups: z.array(usageFiguresSchema.extend({ key: z.string().nullable() })),
});
export type UsageReport = z.infer<typeof usageReportSchema>;
export type UsageGroup = UsageReport['groups'][number];
