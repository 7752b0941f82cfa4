import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { UsageRecordedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { EngineModule } from './modules/engine/engine.module';
import { PrincipalModule } from './modules/principal/principal.module';
import { StreamingModule } from './modules/streaming/streaming.module';
import { TranscriptionModule } from './modules/transcription/transcription.module';

/** Composition root of the stt service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, { bus: { topics: [UsageRecordedV1] } }),
        PrincipalModule,
        EngineModule,
        TranscriptionModule,
        StreamingModule,
      ],
    };
  }
}
