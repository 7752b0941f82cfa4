import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { InternalTokens } from './internal-auth/internal-tokens';
import { InternalRouteGuard } from './internal-auth/internal-route.guard';
import { createLogger, type Logger } from './logging/logger';
import { ServiceMetrics } from './metrics/service-metrics';

export const LOGGER = Symbol('LOGGER');

/**
 * Config, logger, metrics, health and the internal-auth tokens (principal and service credential)
 * for one service; global so every module can inject them. Its guard refuses an `internal/...`
 * route to a caller without a service credential.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, logger?: Logger): DynamicModule {
    const metrics = new ServiceMetrics(config.service, config.metrics.eventLoopResolutionMs);
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger ?? createLogger(config.service, config.logLevel) },
        { provide: ServiceMetrics, useValue: metrics },
        HealthRegistry,
        { provide: InternalTokens, useValue: new InternalTokens(config.internalAuth.secret, config.service) },
        // Every `internal/...` controller of the service needs a service credential.
        { provide: APP_GUARD, useClass: InternalRouteGuard },
      ],
      exports: [APP_CONFIG, LOGGER, ServiceMetrics, HealthRegistry, InternalTokens],
    };
  }
}
