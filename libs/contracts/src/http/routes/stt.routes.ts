import {
  putSttRetentionBodySchema,
  putSttUpstreamBodySchema,
  sttRetentionSchema,
  sttUpstreamListSchema,
  sttUpstreamSchema,
  transcriptionSchema,
  transcriptionTextSchema,
} from '../../stt/stt-api.schema';
import type { PublicRoute, RouteBody } from './public-route';
import { ADMIN, json } from './route-parts';

/** Largest multipart body the edge forwards: the 25 MB default audio limit plus the form around it. */
export const STT_UPLOAD_MAX_BODY_BYTES = 26 * 1_048_576;

const UPLOAD: RouteBody = {
  encoding: 'raw',
  contentTypes: ['multipart/form-data'],
  description:
    'A form with `file` (wav, mp3, m4a, ogg/opus, webm, flac: recognised by its bytes) and optionally `language`, ' +
    '`response_format` (json, text, verbose_json, srt, vtt), `model`, `prompt`, `temperature`',
  maxBytes: STT_UPLOAD_MAX_BODY_BYTES,
};
const ACCESS = { kind: 'authenticated', scope: 'stt:write' } as const;
const PROBLEMS = [400, 401, 403, 413, 415, 429, 502, 503] as const;
const KIND = { kind: 'openai (uploads: an OpenAI-compatible server) or deepgram (live sessions)' };

/** Speech to text: uploads and the OpenAI-compatible path (issue 15). */
export const STT_ROUTES: readonly PublicRoute[] = [
  {
    id: 'stt.transcriptions.create',
    method: 'POST',
    path: '/api/v1/stt/transcriptions',
    tag: 'stt',
    summary: 'Transcribe an audio file (text, timestamped segments, language, duration)',
    description:
      'Metered per audio second against the plan (`sttMinutesPerMonth`; 429 `quota_exceeded` with the reset ' +
      'time). Limits: size (413 `payload_too_large`), duration (the plan limit `sttMaxAudioSeconds`, the server cap, the minutes left: 413 `audio_too_long` with `details.limit`), format by magic bytes ' +
      '(415 `unsupported_media_type`), decodable audio (400 `audio_invalid`); all workers busy: 429 `stt_busy` ' +
      'with `Retry-After`. The answer format follows `response_format` (default `verbose_json`).',
    access: ACCESS,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/transcriptions' },
    request: { body: UPLOAD },
    responses: [{ status: 200, description: 'The transcription', schema: transcriptionSchema, name: 'Transcription' }],
    problems: PROBLEMS,
  },
  {
    id: 'stt.openai.transcriptions',
    method: 'POST',
    path: '/api/v1/audio/transcriptions',
    tag: 'stt',
    summary: 'OpenAI-compatible transcription (`/v1/audio/transcriptions`: same form fields and response formats)',
    description:
      'For existing OpenAI clients: base URL `…/api/v1`, the key a Parley API key with `stt:write`. ' +
      '`response_format` json (default: `{text}`), text, verbose_json, srt, vtt.',
    access: ACCESS,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/audio/transcriptions' },
    request: { body: UPLOAD },
    responses: [{ status: 200, description: 'The transcription', schema: transcriptionTextSchema }],
    problems: PROBLEMS,
  },
  {
    id: 'stt.upstreams.list',
    method: 'GET',
    path: '/api/v1/stt/upstreams',
    tag: 'stt',
    summary: "The tenant's own speech upstreams (owners and admins)",
    access: ADMIN,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/upstreams' },
    responses: [{ status: 200, description: 'Upstreams', schema: sttUpstreamListSchema, name: 'SttUpstreamList' }],
    problems: [400, 401, 403, 429, 503],
  },
  {
    id: 'stt.upstreams.put',
    method: 'PUT',
    path: '/api/v1/stt/upstreams/{kind}',
    tag: 'stt',
    summary: "Send the tenant's speech to its own upstream: base URL, key (sealed), model (owners and admins)",
    description:
      'A base URL must pass the egress policy when saved and at each connection (in cloud mode: https, no ' +
      'loopback, private or metadata address unless the operator allows it): 400 `egress_denied`.',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/upstreams/{kind}' },
    request: { params: KIND, body: json(putSttUpstreamBodySchema) },
    responses: [{ status: 200, description: 'The upstream', schema: sttUpstreamSchema, name: 'SttUpstream' }],
    problems: [400, 401, 403, 413, 429, 503],
  },
  {
    id: 'stt.upstreams.delete',
    method: 'DELETE',
    path: '/api/v1/stt/upstreams/{kind}',
    tag: 'stt',
    summary: "Remove the tenant's speech upstream (the platform's engine applies again)",
    access: ADMIN,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/upstreams/{kind}' },
    request: { params: KIND },
    responses: [{ status: 204, description: 'Removed' }],
    problems: [400, 401, 403, 404, 429, 503],
  },
  {
    id: 'stt.retention.get',
    method: 'GET',
    path: '/api/v1/stt/retention',
    tag: 'stt',
    summary:
      'Whether the tenant keeps uploaded audio, for how many days, and how many files are kept (owners and admins)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/retention' },
    responses: [{ status: 200, description: 'Retention', schema: sttRetentionSchema, name: 'SttRetention' }],
    problems: [400, 401, 403, 429, 503],
  },
  {
    id: 'stt.retention.put',
    method: 'PUT',
    path: '/api/v1/stt/retention',
    tag: 'stt',
    summary: 'Keep uploaded audio for a number of days, or not at all (owners and admins)',
    description:
      'Off by default: audio is never stored. On: each transcribed upload is kept in the tenant schema and ' +
      'purged once older than `days`. Turning it off deletes what was kept at once.',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: { service: 'stt', path: '/retention' },
    request: { body: json(putSttRetentionBodySchema) },
    responses: [{ status: 200, description: 'Retention', schema: sttRetentionSchema, name: 'SttRetention' }],
    problems: [400, 401, 403, 413, 429, 503],
  },
];
