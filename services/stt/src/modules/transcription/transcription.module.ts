import { Module } from '@nestjs/common';
import { RetentionModule } from '../retention/retention.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { SttUsage } from '../usage/stt-usage';
import { TranscriptionController } from './transcription.controller';
import { TranscribeUploadUseCase } from './usecases/transcribe-upload/transcribe-upload.usecase';

/** Uploaded audio to text, metered per audio second. */
@Module({
  imports: [UpstreamsModule, RetentionModule],
  controllers: [TranscriptionController],
  providers: [TranscribeUploadUseCase, SttUsage],
  exports: [SttUsage],
})
export class TranscriptionModule {}
