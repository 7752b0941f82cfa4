import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { HealthRegistry, LOGGER, ServiceMetrics, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { CredentialFailureLimiter } from './credential-failure.limiter';
import { EdgeAdmission } from './edge-admission';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import { RateLimiter } from './rate-limiter';
import { RequestQuotas } from './request-quotas';

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/** Per-call budget: past it the check falls back to the in-process limiter. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Rate limits per plan, shared through Redis, and EdgeAdmission: the one Redis round trip in which
 * an authenticated request's refused-credentials, revocation and rate-limit checks run together. The limiter has a connection of its own that fails
 * fast (no offline queue, a command timeout), so a Redis outage costs no request more than that
 * timeout before the in-process fallback answers. AppModule installs the guard globally, after auth.
 */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_REDIS,
      inject: [REDIS],
      useFactory: (shared: Redis) =>
        shared.duplicate({
          connectionName: 'parley-gateway-ratelimit',
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        }),
    },
    { provide: RateLimitMetrics, inject: [ServiceMetrics], useFactory: (m: ServiceMetrics) => new RateLimitMetrics(m) },
    {
      provide: RateLimiter,
      inject: [RATE_LIMIT_REDIS, RateLimitMetrics, LOGGER],
      useFactory: (redis: Redis, metrics: RateLimitMetrics, logger: Logger) => new RateLimiter(redis, metrics, logger),
    },
    {
      provide: CredentialFailureLimiter,
      inject: [RATE_LIMIT_REDIS, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) => {
        if (!config.gateway) throw new Error('CredentialFailureLimiter needs the gateway configuration');
        return new CredentialFailureLimiter(redis, config.gateway.authFailures);
      },
    },
    {
      provide: EdgeAdmission,
      inject: [RATE_LIMIT_REDIS, RateLimiter, CredentialFailureLimiter],
      useFactory: (redis: Redis, limiter: RateLimiter, failures: CredentialFailureLimiter) =>
        new EdgeAdmission(redis, limiter, failures),
    },
    RequestQuotas,
    RateLimitGuard,
  ],
  exports: [RateLimitGuard, RateLimiter, CredentialFailureLimiter, EdgeAdmission, RequestQuotas],
})
export class RateLimitModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RATE_LIMIT_REDIS) private readonly redis: Redis,
    private readonly limiter: RateLimiter,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.redis.on('error', () => undefined); // the limiter and readiness report it
    await this.redis.connect().catch(() => undefined);
  }

  /** After the shared Redis module registered its critical check: replace it with the optional one. */
  onApplicationBootstrap(): void {
    this.limiter.registerHealth(this.health);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
