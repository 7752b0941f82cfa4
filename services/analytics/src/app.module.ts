import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { TenantEventsModule } from './modules/tenant-events/tenant-events.module';

/** Composition root of the analytics service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return { module: AppModule, imports: [PlatformModule.forRoot(config, logger), TenantEventsModule] };
  }
}
