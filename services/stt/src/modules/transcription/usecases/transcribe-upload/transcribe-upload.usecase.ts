import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  parseInput,
  STT_UPLOAD_FORMATS,
  type SttResponseFormat,
  transcriptionFormSchema,
  type Transcription,
} from '@parley/contracts';
import { APP_CONFIG, type AppConfig, type SttConfig } from '@parley/config';
import { RequestContext } from '@parley/observability';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { KeepUploadAudioUseCase } from '../../../retention/usecases/keep-upload-audio/keep-upload-audio.usecase';
import { SpeechEngines } from '../../../upstreams/speech-engines';
import { SPEECH_PRICE_TABLE, speechPriceOf } from '../../../usage/speech-price-table';
import { SttUsage } from '../../../usage/stt-usage';
import { sniffAudioFormat } from '../../audio-format';
import { decodeToPcm, durationLimit, PCM_BYTES_PER_SECOND } from '../../audio-decoder';
import { parseMultipart } from '../../multipart-form';

/** A reservation outlives the request's deadline by this much before it is dropped as abandoned. */
const RESERVATION_MARGIN_MS = 60_000;

export interface TranscribeUploadCommand {
  principal: SttPrincipal;
  body: Buffer;
  contentType: string | undefined;
  /** The answer format when the form names none (`verbose_json` on Parley's path, `json` on OpenAI's). */
  defaultFormat: SttResponseFormat;
}

export interface TranscribeUploadResult {
  transcription: Transcription;
  format: SttResponseFormat;
}

/**
 * An uploaded file to text: the form and its fields, the format by magic bytes (415), the plan's
 * minutes (429 before any work), decoding by ffmpeg within the duration limit (the plan's longest
 * audio, the minutes left, the service's cap: 400/413 `audio_too_long`), the
 * tenant's engine (its own upstream, the platform's, or the embedded base model with beam
 * `STT_BEAM_SIZE`), then the usage recorded once, and the file kept only if the tenant turned
 * audio retention on.
 */
@Injectable()
export class TranscribeUploadUseCase {
  private readonly config: SttConfig;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly engines: SpeechEngines,
    private readonly usage: SttUsage,
    private readonly keepAudio: KeepUploadAudioUseCase,
  ) {
    this.config = config.stt as SttConfig;
  }

  async execute(command: TranscribeUploadCommand): Promise<TranscribeUploadResult> {
    const form = parseMultipart(command.body, command.contentType);
    const fields = parseInput(transcriptionFormSchema, form.fields, 'transcription form');
    const file = form.file;
    if (!file || file.data.length === 0) {
      throw new DomainException(ErrorCode.AudioInvalid, 'The form has no audio: send it as the part named "file"');
    }
    if (file.data.length > this.config.maxUploadBytes) {
      throw new DomainException(
        ErrorCode.PayloadTooLarge,
        `The audio is larger than ${this.config.maxUploadBytes} bytes`,
        {
          limit: this.config.maxUploadBytes,
        },
      );
    }
    const format = sniffAudioFormat(file.data.subarray(0, 16));
    if (!format) {
      throw new DomainException(
        ErrorCode.UnsupportedMediaType,
        `Not an accepted audio format (${STT_UPLOAD_FORMATS.join(', ')}), judged by the file's bytes`,
      );
    }
    const engine = await this.engines.forTenant(command.principal.tenantId);
    const sourceId = `upload:${RequestContext.current()?.requestId ?? randomUUID()}`;
    const allowance = await this.usage.admit(command.principal, {
      id: sourceId,
      maxSeconds: this.config.maxDurationSeconds,
      microsPerHour: speechPriceOf(SPEECH_PRICE_TABLE, engine.provider, engine.model),
      ttlMs: this.config.requestTimeoutMs + RESERVATION_MARGIN_MS,
    });
    let usageId: string;
    let result: Awaited<ReturnType<typeof engine.transcribe>>;
    let duration: number;
    try {
      const limit = durationLimit(
        this.config.maxDurationSeconds,
        allowance.maxAudioSeconds,
        allowance.remainingSeconds,
      );
      const pcm = await decodeToPcm(file.data, limit);
      result = await engine.transcribe({ pcm, language: fields.language ?? null, beam: this.config.beamSize });
      duration = Math.round((pcm.length / PCM_BYTES_PER_SECOND) * 1000) / 1000;
      usageId = await this.usage.record({
        principal: command.principal,
        seconds: duration,
        sourceId,
        provider: engine.provider,
        model: engine.model,
        reservationId: sourceId,
      });
    } catch (error) {
      // Refused or failed before any usage: nothing is charged, the worst case is given back.
      await this.usage.release(command.principal.tenantId, sourceId);
      throw error;
    }
    await this.keepAudio.execute({ tenantId: command.principal.tenantId, usageId, format, audio: file.data });
    return {
      format: fields.response_format ?? command.defaultFormat,
      transcription: {
        task: 'transcribe',
        text: result.text,
        language: result.language,
        duration,
        segments: result.segments.map((segment, id) => ({ id, ...segment })),
        usageId,
      },
    };
  }
}
