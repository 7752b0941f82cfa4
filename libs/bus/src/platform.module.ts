import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import type { AppConfig } from '@parley/config';
import { createHttpApp, ObservabilityModule, type HttpAppOptions, type Logger } from '@parley/observability';
import { TenancyModule } from '@parley/tenancy';
import { BusModule, connectBus, type BusModuleOptions } from './bus.module';
import { OutboxModule } from './outbox/outbox.module';

export interface PlatformOptions {
  bus?: BusModuleOptions;
  entities?: Function[];
}

/**
 * The infrastructure every service shares, in one import: config, logs, metrics and health;
 * Postgres (when configured) and Redis; Kafka; the transactional outbox (with Postgres). A service's AppModule adds its feature modules.
 */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, logger: Logger, options: PlatformOptions = {}): DynamicModule {
    const modules: (DynamicModule | typeof OutboxModule)[] = [
      ObservabilityModule.forRoot(config, logger),
      TenancyModule.forRoot(config, { entities: options.entities }),
      BusModule.forRoot(options.bus),
    ];
    if (config.database) modules.push(OutboxModule);
    return { module: PlatformModule, imports: modules, exports: modules };
  }
}

/** Builds the HTTP app from a service's root module and starts its Kafka consumers. */
export async function createServiceApp(
  rootModule: DynamicModule,
  config: AppConfig,
  logger: Logger,
  options: HttpAppOptions = {},
): Promise<INestApplication> {
  const app = await createHttpApp(rootModule, config, logger, options);
  await connectBus(app);
  return app;
}
