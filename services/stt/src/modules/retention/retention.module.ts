import { Module } from '@nestjs/common';
import { AudioRetentionRepository } from './audio-retention.repository';
import { RetentionController } from './retention.controller';
import { GetRetentionUseCase } from './usecases/get-retention/get-retention.usecase';
import { KeepUploadAudioUseCase } from './usecases/keep-upload-audio/keep-upload-audio.usecase';
import { AudioPurgeJob } from './usecases/purge-expired-audio/audio-purge.job';
import { PutRetentionUseCase } from './usecases/put-retention/put-retention.usecase';

/** Audio retention: off by default; the tenant's setting, keeping uploads when on, and the purge pass. */
@Module({
  controllers: [RetentionController],
  providers: [
    AudioRetentionRepository,
    GetRetentionUseCase,
    PutRetentionUseCase,
    KeepUploadAudioUseCase,
    AudioPurgeJob,
  ],
  exports: [KeepUploadAudioUseCase],
})
export class RetentionModule {}
