import { z } from 'zod';
import { upstreamKeyBodySchema } from '../http/upstream-key-input';

/** The answer formats of a transcription (the OpenAI `response_format` values). */
export const STT_RESPONSE_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
export type SttResponseFormat = (typeof STT_RESPONSE_FORMATS)[number];

/** The audio containers an upload may be, recognised by their magic bytes (never by name or content type). */
export const STT_UPLOAD_FORMATS = ['wav', 'mp3', 'm4a', 'ogg', 'webm', 'flac'] as const;
export type SttUploadFormat = (typeof STT_UPLOAD_FORMATS)[number];

/** Multipart form parts of an upload besides `file` (the audio): the OpenAI form, plus Parley's own default format. */
export const transcriptionFormSchema = z.strictObject({
  /** `whisper-1` (OpenAI clients send it) or the engine's own name; the configured model answers either way. */
  model: z.string().min(1).max(100).optional(),
  /** ISO-639-1; absent: detected. */
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be an ISO-639-1 code such as en')
    .optional(),
  response_format: z.enum(STT_RESPONSE_FORMATS).optional(),
  prompt: z.string().max(2000).optional(),
  temperature: z.coerce.number().min(0).max(1).optional(),
  'timestamp_granularities[]': z.enum(['segment']).optional(),
});
export type TranscriptionForm = z.infer<typeof transcriptionFormSchema>;

export const transcriptSegmentSchema = z.object({
  id: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
});
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;

/** `POST /api/v1/stt/transcriptions` (and `verbose_json` of the OpenAI path). */
export const transcriptionSchema = z.object({
  task: z.literal('transcribe'),
  text: z.string(),
  language: z.string(),
  /** Seconds of audio (what is metered). */
  duration: z.number().nonnegative(),
  segments: z.array(transcriptSegmentSchema),
  /** The `usage.recorded.v1` id of this transcription. */
  usageId: z.uuid(),
});
export type Transcription = z.infer<typeof transcriptionSchema>;

/** `json` of the OpenAI path. */
export const transcriptionTextSchema = z.object({ text: z.string() });

/**
 * Where a tenant's speech may go instead of the embedded engine: `openai`, an OpenAI-compatible
 * server for uploads; `deepgram`, Deepgram's live streaming protocol for `/ws` sessions.
 */
export const STT_UPSTREAM_KINDS = ['openai', 'deepgram'] as const;
export type SttUpstreamKind = (typeof STT_UPSTREAM_KINDS)[number];

/** `PUT /api/v1/stt/upstreams/{kind}`; a null or absent `baseUrl`: `https://api.openai.com/v1`, `https://api.deepgram.com`. */
export const putSttUpstreamBodySchema = upstreamKeyBodySchema;
export type PutSttUpstreamBody = z.infer<typeof putSttUpstreamBodySchema>;

/** Audio retention: off by default; on, uploaded audio is kept `days` days in the tenant's schema, then purged. */
export const sttRetentionSchema = z.object({
  enabled: z.boolean(),
  days: z.number().int().min(1).max(3650),
  /** Uploads kept now. */
  keptFiles: z.number().int().nonnegative(),
});
export type SttRetentionView = z.infer<typeof sttRetentionSchema>;
export const putSttRetentionBodySchema = z.strictObject({
  enabled: z.boolean(),
  days: z.number().int().min(1).max(3650).default(30),
});

/** A tenant's speech upstream as the API shows it: never the key, only its hint. */
export const sttUpstreamSchema = z.object({
  kind: z.enum(STT_UPSTREAM_KINDS),
  baseUrl: z.string(),
  model: z.string(),
  keyHint: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export type SttUpstreamView = z.infer<typeof sttUpstreamSchema>;
export const sttUpstreamListSchema = z.object({ items: z.array(sttUpstreamSchema) });
