import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, EgressPolicy } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { OpenAiTranscriptionClient } from './openai-transcription.client';
import { SpeechEngines } from './speech-engines';
import { SttUpstreamsController } from './stt-upstreams.controller';
import { SttUpstreamsRepository } from './stt-upstreams.repository';
import { UpstreamHealth } from './upstream-health';
import { UpstreamKeyEncryption, upstreamKeyEncryptionFor } from './upstream-key-encryption';
import { DeleteSttUpstreamUseCase } from './usecases/delete-stt-upstream/delete-stt-upstream.usecase';
import { ListSttUpstreamsUseCase } from './usecases/list-stt-upstreams/list-stt-upstreams.usecase';
import { PutSttUpstreamUseCase } from './usecases/put-stt-upstream/put-stt-upstream.usecase';

/**
 * Speech upstreams: `/upstreams` (owners and admins) with keys sealed under STT_KEY_ENCRYPTION_KEY,
 * the OpenAI-compatible client, `SpeechEngines`, which picks the engine of a tenant's audio, and
 * the platform upstreams' place in readiness (`UpstreamHealth`).
 */
@Module({
  controllers: [SttUpstreamsController],
  providers: [
    {
      provide: UpstreamKeyEncryption,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => upstreamKeyEncryptionFor(config, logger),
    },
    // Tenant base URLs: checked when saved and again at each connection (EGRESS_* settings).
    { provide: EgressPolicy, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new EgressPolicy(config.egress) },
    SttUpstreamsRepository,
    OpenAiTranscriptionClient,
    SpeechEngines,
    UpstreamHealth,
    ListSttUpstreamsUseCase,
    PutSttUpstreamUseCase,
    DeleteSttUpstreamUseCase,
  ],
  exports: [SpeechEngines],
})
export class UpstreamsModule {}
