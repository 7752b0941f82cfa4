import { z } from 'zod';

/** Bounds of one streaming session (stt service and gateway alike). */
export const STT_STREAM_LIMITS = {
  /** Largest binary audio frame; larger ends the session with `frame_too_large`. */
  maxFrameBytes: 32 * 1024,
  /** Longest session (wall time); then `stt.stopped` with reason `max_duration`. */
  maxSessionSeconds: 300,
  /** Audio may arrive at most this much faster than real time (plus a burst), else `rate_exceeded`. */
  maxRealtimeFactor: 4,
  burstSeconds: 10,
  /** A partial (`stt.partial`) at least this often while speech goes on. */
  partialIntervalMs: 500,
  /** Default silence that ends an utterance (voice-activity endpointing). */
  defaultSilenceMs: 700,
} as const;

/** Start a session: the audio format, the language (absent: detected on finals) and the mode. */
export const sttStartSchema = z.strictObject({
  type: z.literal('stt.start'),
  /** `pcm16`: raw 16 kHz mono signed 16-bit little-endian; `webm/opus`: a MediaRecorder stream. */
  format: z.enum(['pcm16', 'webm/opus']),
  sampleRate: z.literal(16_000).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
  /** `push-to-talk`: one utterance, ended by `stt.stop`; `hands-free`: utterances ended by silence. */
  mode: z.enum(['push-to-talk', 'hands-free']).default('hands-free'),
  /** Silence that ends an utterance in hands-free mode (ms). */
  silenceMs: z.number().int().min(200).max(5000).optional(),
});
export type SttStart = z.infer<typeof sttStartSchema>;

/** End the session: the utterance under way is finished (`stt.final`), then `stt.stopped`. */
export const sttStopSchema = z.strictObject({ type: z.literal('stt.stop') });
/** Drop the session at once: no final for the utterance under way, nothing metered for it. */
export const sttAbortSchema = z.strictObject({ type: z.literal('stt.abort') });

export const sttClientMessageSchema = z.discriminatedUnion('type', [sttStartSchema, sttStopSchema, sttAbortSchema]);
export type SttClientMessage = z.infer<typeof sttClientMessageSchema>;

export const sttStartedSchema = z.strictObject({
  type: z.literal('stt.started'),
  sessionId: z.uuid(),
  mode: z.enum(['push-to-talk', 'hands-free']),
  silenceMs: z.number().int(),
  /** Seconds of audio the tenant may still stream this month (the session ends there: `quota_exceeded`). */
  remainingSeconds: z.number(),
  /** The plan's longest audio of one session (the session ends there: `audio_too_long`). */
  maxAudioSeconds: z.number(),
});

/** The utterance so far: `stable` is the prefix consecutive decodes agreed on (it does not flicker). */
export const sttPartialSchema = z.strictObject({
  type: z.literal('stt.partial'),
  utteranceId: z.number().int().nonnegative(),
  text: z.string(),
  stable: z.string(),
});

/** An utterance transcribed with the main model (metered: `usageId`). */
export const sttFinalSchema = z.strictObject({
  type: z.literal('stt.final'),
  utteranceId: z.number().int().nonnegative(),
  text: z.string(),
  language: z.string(),
  /** Where the utterance lies in the session's audio (seconds). */
  start: z.number(),
  end: z.number(),
  usageId: z.uuid(),
});

export const STT_STREAM_ERROR_CODES = [
  'malformed_message',
  'not_started',
  'already_started',
  'frame_too_large',
  'rate_exceeded',
  'audio_invalid',
  'audio_too_long',
  'quota_exceeded',
  'budget_exceeded',
  'payment_required',
  'stt_busy',
  'stt_worker_failed',
  'stt_engine_unavailable',
  'stt_upstream_unavailable',
  'stt_upstream_auth_failed',
  'egress_denied',
  'insufficient_scope',
  'rate_limited',
  'tenant_suspended',
  'service_unavailable',
] as const;

/** A refusal or failure; `fatal` errors end the session (`stt.stopped` follows). */
export const sttErrorSchema = z.strictObject({
  type: z.literal('stt.error'),
  code: z.enum(STT_STREAM_ERROR_CODES),
  message: z.string(),
  fatal: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const sttStoppedSchema = z.strictObject({
  type: z.literal('stt.stopped'),
  reason: z.enum([
    'stopped',
    'aborted',
    'max_duration',
    'quota_exceeded',
    'budget_exceeded',
    'payment_required',
    'error',
  ]),
});

export type SttServerMessage =
  | z.infer<typeof sttStartedSchema>
  | z.infer<typeof sttPartialSchema>
  | z.infer<typeof sttFinalSchema>
  | z.infer<typeof sttErrorSchema>
  | z.infer<typeof sttStoppedSchema>;
