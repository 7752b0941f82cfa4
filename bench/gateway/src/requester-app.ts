import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { TenantGetV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';

/** A bus client like the gateway's, for the direct Kafka baseline (`tenant.get.v1` without the gateway). */
@Module({})
export class BenchRequesterApp {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: BenchRequesterApp,
      imports: [PlatformModule.forRoot(config, logger, { bus: { topics: [TenantGetV1], warmRequester: true } })],
    };
  }
}
