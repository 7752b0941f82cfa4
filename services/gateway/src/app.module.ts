import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/** Composition root of the gateway service. Feature modules join here as they are built. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return { module: AppModule, imports: [PlatformModule.forRoot(config, logger)] };
  }
}
