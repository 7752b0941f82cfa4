import { z } from 'zod';
import { int } from './env-fields';

const path = z.string().min(1).max(4096).optional();
const secret = z.string().min(1).max(4096).optional();
const optionalHttpUrl = z
  .string()
  .optional()
  .refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');
/** base64 of exactly 32 bytes, as `openssl rand -base64 32` prints it. */
const base64Key32 = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
    'must be base64 of 32 bytes (openssl rand -base64 32)',
  );

export const DEFAULT_STT_UPSTREAM_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_STT_STREAM_UPSTREAM_BASE_URL = 'https://api.deepgram.com';

/** Variables only the stt service reads. */
export const sttShape = {
  /** The engine venv's python (`bash scripts/stt-engine.sh paths` prints it); unset: the engine is down. */
  STT_PYTHON: path,
  /** The worker program; unset: the one shipped beside the service (services/stt/worker/stt_worker.py). */
  STT_WORKER_SCRIPT: path,
  /** Whisper model for uploads and finals (CTranslate2 folder); mount a bigger one here. */
  STT_MODEL_DIR: path,
  /** Small model for streaming partials; unset: partials use STT_MODEL_DIR's model. */
  STT_PARTIAL_MODEL_DIR: path,
  STT_WORKERS: int(1, 1, 32),
  STT_CPU_THREADS: int(1, 1, 64),
  /** Transcriptions waiting for a worker at most; past it 429 `stt_busy` with Retry-After. */
  STT_QUEUE_MAX: int(8, 0, 10_000),
  STT_BEAM_SIZE: int(5, 1, 10),
  STT_MAX_UPLOAD_BYTES: int(25 * 1_048_576, 1024, 500 * 1_048_576),
  /** Longest audio of one upload (seconds); the tenant's remaining monthly minutes bound it too. */
  STT_MAX_DURATION_SECONDS: int(600, 1, 4 * 3600),
  /** One transcription's deadline in a worker; past it the worker is restarted and the request fails. */
  STT_REQUEST_TIMEOUT_MS: int(120_000, 1000, 3_600_000),
  STT_WORKER_START_TIMEOUT_MS: int(60_000, 1000, 600_000),
  /** Platform-wide OpenAI-compatible upstream (OpenAI, Groq, a Whisper server): set the key or the base URL to use it. */
  STT_UPSTREAM_API_KEY: secret,
  STT_UPSTREAM_BASE_URL: optionalHttpUrl,
  STT_UPSTREAM_MODEL: z.string().min(1).max(200).default('whisper-1'),
  /** One upstream transcription's deadline (answer included). */
  STT_UPSTREAM_TIMEOUT_MS: int(120_000, 1000, 3_600_000),
  /** Platform-wide streaming upstream (Deepgram's live protocol): set the key to relay every session there. */
  STT_STREAM_UPSTREAM_API_KEY: secret,
  /** Its https base URL (the session speaks wss:// to `<base>/v1/listen`). */
  STT_STREAM_UPSTREAM_BASE_URL: optionalHttpUrl,
  STT_STREAM_UPSTREAM_MODEL: z.string().min(1).max(200).default('nova-3'),
  /** How often kept audio past its tenant's retention days is deleted (0: never; every replica runs it). */
  STT_AUDIO_PURGE_INTERVAL_MS: int(3_600_000, 0, 86_400_000),
  /** Seals tenants' upstream keys (AES-256-GCM); required in production. */
  STT_KEY_ENCRYPTION_KEY: base64Key32.optional(),
};

/** An OpenAI-compatible transcription server. */
export interface SttUpstreamConfig {
  baseUrl: string;
  apiKey: string | null;
  model: string;
}

export interface SttConfig {
  python: string | null;
  workerScript: string | null;
  modelDir: string | null;
  partialModelDir: string | null;
  workers: number;
  cpuThreads: number;
  queueMax: number;
  beamSize: number;
  maxUploadBytes: number;
  maxDurationSeconds: number;
  requestTimeoutMs: number;
  workerStartTimeoutMs: number;
  /** The platform-wide upstream for uploads; null: the embedded engine (unless a tenant sets its own). */
  upstream: SttUpstreamConfig | null;
  upstreamTimeoutMs: number;
  /** The platform-wide streaming upstream (Deepgram protocol); null: sessions run on the embedded engine. */
  streamUpstream: SttUpstreamConfig | null;
  audioPurgeIntervalMs: number;
  /** 32 bytes, or null (development and test only: a fixed development key is used, with a warning). */
  keyEncryptionKey: Buffer | null;
}

export function toSttConfig(e: Record<string, unknown>): SttConfig {
  const n = (key: string) => e[key] as number;
  const s = (key: string) => (e[key] as string | undefined) ?? null;
  const kek = s('STT_KEY_ENCRYPTION_KEY');
  return {
    python: s('STT_PYTHON'),
    workerScript: s('STT_WORKER_SCRIPT'),
    modelDir: s('STT_MODEL_DIR'),
    partialModelDir: s('STT_PARTIAL_MODEL_DIR'),
    workers: n('STT_WORKERS'),
    cpuThreads: n('STT_CPU_THREADS'),
    queueMax: n('STT_QUEUE_MAX'),
    beamSize: n('STT_BEAM_SIZE'),
    maxUploadBytes: n('STT_MAX_UPLOAD_BYTES'),
    maxDurationSeconds: n('STT_MAX_DURATION_SECONDS'),
    requestTimeoutMs: n('STT_REQUEST_TIMEOUT_MS'),
    workerStartTimeoutMs: n('STT_WORKER_START_TIMEOUT_MS'),
    upstream:
      s('STT_UPSTREAM_API_KEY') || s('STT_UPSTREAM_BASE_URL')
        ? {
            baseUrl: (s('STT_UPSTREAM_BASE_URL') ?? DEFAULT_STT_UPSTREAM_BASE_URL).replace(/\/+$/, ''),
            apiKey: s('STT_UPSTREAM_API_KEY'),
            model: s('STT_UPSTREAM_MODEL') as string,
          }
        : null,
    upstreamTimeoutMs: n('STT_UPSTREAM_TIMEOUT_MS'),
    audioPurgeIntervalMs: n('STT_AUDIO_PURGE_INTERVAL_MS'),
    streamUpstream: s('STT_STREAM_UPSTREAM_API_KEY')
      ? {
          baseUrl: (s('STT_STREAM_UPSTREAM_BASE_URL') ?? DEFAULT_STT_STREAM_UPSTREAM_BASE_URL).replace(/\/+$/, ''),
          apiKey: s('STT_STREAM_UPSTREAM_API_KEY'),
          model: s('STT_STREAM_UPSTREAM_MODEL') as string,
        }
      : null,
    keyEncryptionKey: kek ? Buffer.from(kek, 'base64') : null,
  };
}
