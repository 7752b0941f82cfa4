import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { createLogger, type Logger } from './logging/logger';
import { ServiceMetrics } from './metrics/service-metrics';

export const LOGGER = Symbol('LOGGER');

/** Config, logger, metrics and health for one service; global so every module can inject them. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, logger?: Logger): DynamicModule {
    const metrics = new ServiceMetrics(config.service);
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger ?? createLogger(config.service, config.logLevel) },
        { provide: ServiceMetrics, useValue: metrics },
        HealthRegistry,
      ],
      exports: [APP_CONFIG, LOGGER, ServiceMetrics, HealthRegistry],
    };
  }
}
