import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { EgressAgents } from '@parley/observability';
import type { WorkerResult } from '../engine/stt-worker';
import type { SpeechRequest } from '../engine/speech-engine';
import { languageCode } from './language-code';
import { pcmToWav } from './pcm-wav';
import { upstreamMessage, upstreamStatusError } from './upstream-errors';
import type { UpstreamTarget } from './upstream-target';

/** Largest answer read (a transcript of hours of audio fits many times over). */
const ANSWER_LIMIT_BYTES = 8 * 1_048_576;

/** OpenAI's `verbose_json` (Groq and Whisper servers answer the same shape; `json` has only `text`). */
const verboseJsonSchema = z.object({
  text: z.string(),
  language: z.string().optional(),
  duration: z.number().optional(),
  segments: z
    .array(z.object({ start: z.number(), end: z.number(), text: z.string() }))
    .optional()
    .nullable(),
});

/**
 * `POST {baseUrl}/audio/transcriptions` of an OpenAI-compatible server: a multipart form (`file` a
 * WAV of the decoded audio, `model`, `language` when known, `response_format=verbose_json`) with
 * `Authorization: Bearer <key>`; the JSON answer becomes our transcription. A tenant's address goes
 * through its own connection pool whose every connection resolves the name through the egress
 * policy and connects to the checked address (no DNS rebinding); literal addresses are checked
 * before the call. Non-2xx answers map to `stt_upstream_*` codes; the key never appears in one.
 */
@Injectable()
export class OpenAiTranscriptionClient implements OnModuleDestroy {
  private readonly agents = new EgressAgents();
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.timeoutMs = config.stt?.upstreamTimeoutMs ?? 120_000;
  }

  onModuleDestroy(): void {
    this.agents.destroy();
  }

  async transcribe(target: UpstreamTarget, request: SpeechRequest): Promise<WorkerResult> {
    const url = new URL(`${target.baseUrl}/audio/transcriptions`);
    target.egress?.assertCallable(url);
    const boundary = `----parley${randomBytes(12).toString('hex')}`;
    const fields: Record<string, string> = { model: target.model, response_format: 'verbose_json' };
    if (request.language) fields['language'] = request.language;
    const body = multipart(boundary, fields, pcmToWav(request.pcm));
    const headers: Record<string, string> = {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      accept: 'application/json',
    };
    if (target.apiKey) headers['authorization'] = `Bearer ${target.apiKey}`;
    let answer: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable };
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      answer = await this.agents.for(target.egress).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers,
        body,
        signal,
      });
    } catch (error) {
      throw networkFailure(error, signal.aborted, this.timeoutMs);
    }
    let text: Buffer;
    try {
      text = await readBounded(answer.body, ANSWER_LIMIT_BYTES);
    } catch (error) {
      throw networkFailure(error, signal.aborted, this.timeoutMs);
    }
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      const retryAfter = answer.headers['retry-after'];
      throw upstreamStatusError(
        answer.statusCode,
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        upstreamMessage(text, target.apiKey),
      );
    }
    return toResult(text, request);
  }
}

function multipart(boundary: string, fields: Record<string, string>, wav: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="audio.wav"\r\n` +
        'Content-Type: audio/wav\r\n\r\n',
    ),
    wav,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}

function toResult(body: Buffer, request: SpeechRequest): WorkerResult {
  let parsed: z.infer<typeof verboseJsonSchema>;
  try {
    parsed = verboseJsonSchema.parse(JSON.parse(body.toString('utf8')));
  } catch {
    throw new DomainException(
      ErrorCode.SttUpstreamUnavailable,
      'The speech upstream answered something other than a transcription (expected verbose_json)',
    );
  }
  const duration = request.pcm.length / 32_000;
  const text = parsed.text.trim();
  return {
    text,
    language: languageCode(parsed.language, request.language),
    duration: parsed.duration ?? duration,
    segments: (parsed.segments ?? [{ start: 0, end: duration, text }]).map((segment) => ({
      start: segment.start,
      end: segment.end,
      text: segment.text.trim(),
    })),
  };
}

function networkFailure(error: unknown, timedOut: boolean, timeoutMs: number): DomainException {
  const refused = error instanceof DomainException ? error : (error as { cause?: unknown } | null)?.cause;
  if (refused instanceof DomainException) return refused; // the egress policy's refusal at connect time
  if (timedOut) {
    return new DomainException(
      ErrorCode.SttUpstreamUnavailable,
      `The speech upstream did not answer within ${timeoutMs} ms`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DomainException(ErrorCode.SttUpstreamUnavailable, `The speech upstream could not be reached: ${reason}`);
}

async function readBounded(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw new DomainException(
        ErrorCode.SttUpstreamUnavailable,
        `The speech upstream's answer is over ${limit} bytes`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
