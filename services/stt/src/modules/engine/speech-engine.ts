import type { WorkerResult } from './stt-worker';

/** One transcription: 16 kHz mono s16le PCM, the language (null: detected) and the beam (the embedded engine's). */
export interface SpeechRequest {
  pcm: Buffer;
  language: string | null;
  beam: number;
}

/**
 * What turns audio into text, whoever runs it: the embedded faster-whisper pool, or an
 * OpenAI-compatible upstream (the platform's or the tenant's own). `provider` and `model` go into
 * the usage event.
 */
export interface SpeechEngine {
  readonly provider: string;
  readonly model: string;
  transcribe(request: SpeechRequest): Promise<WorkerResult>;
}
