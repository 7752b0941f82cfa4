import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SttResponseFormat } from '@parley/contracts';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import type { SttPrincipal } from '../principal/stt-principal';
import { readBody } from './request-body';
import { renderTranscription } from './transcript-formats';
import { TranscribeUploadUseCase } from './usecases/transcribe-upload/transcribe-upload.usecase';

/** Room for the form around the audio: boundaries, part headers, the text fields. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Uploads: Parley's path and the OpenAI-compatible one (`POST /v1/audio/transcriptions`). */
@Controller()
@UseGuards(InternalPrincipalGuard)
export class TranscriptionController {
  private readonly maxBodyBytes: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly transcribe: TranscribeUploadUseCase,
  ) {
    this.maxBodyBytes = (config.stt?.maxUploadBytes ?? 0) + FORM_OVERHEAD_BYTES;
  }

  @Post('transcriptions')
  @HttpCode(200)
  create(@CurrentPrincipal() principal: SttPrincipal, @Req() req: Request, @Res() res: Response) {
    return this.answer(principal, req, res, 'verbose_json');
  }

  @Post('audio/transcriptions')
  @HttpCode(200)
  openAi(@CurrentPrincipal() principal: SttPrincipal, @Req() req: Request, @Res() res: Response) {
    return this.answer(principal, req, res, 'json');
  }

  private async answer(principal: SttPrincipal, req: Request, res: Response, defaultFormat: SttResponseFormat) {
    const body = await readBody(req, this.maxBodyBytes);
    const result = await this.transcribe.execute({
      principal,
      body,
      contentType: req.headers['content-type'],
      defaultFormat,
    });
    const { contentType, body: text } = renderTranscription(result.transcription, result.format);
    res.status(200).type(contentType).send(text);
  }
}
