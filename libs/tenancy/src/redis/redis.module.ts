import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthRegistry } from '@parley/observability';

export const REDIS = Symbol('REDIS');
/** A second connection for the request path: never queues, never retries, bounded per command. */
export const REDIS_FAIL_FAST = Symbol('REDIS_FAIL_FAST');

/**
 * Per-command bound of the fail-fast connection. A dead Redis fails at once (the socket is closed:
 * no offline queue); this bounds a Redis that is there but does not answer.
 */
export const REDIS_FAIL_FAST_TIMEOUT_MS = 250;

/**
 * Two ioredis connections per service, with a readiness check; keys start with the tenant id.
 * `REDIS` rides out blips (offline queue, 2 retries): background work, consumers, writes that must
 * land. `REDIS_FAIL_FAST` is for the request path: while Redis is down a command fails at once, so
 * a request answers 503 `service_unavailable` in milliseconds instead of waiting seconds.
 */
@Global()
@Module({})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_FAIL_FAST) private readonly failFast: Redis,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(url: string, connectionName: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(url, {
              connectionName,
              lazyConnect: true,
              maxRetriesPerRequest: 2,
              enableOfflineQueue: true,
              connectTimeout: 2000,
              retryStrategy: (times) => Math.min(times * 200, 2000),
            }),
        },
        {
          provide: REDIS_FAIL_FAST,
          inject: [REDIS],
          useFactory: (shared: Redis) =>
            shared.duplicate({
              connectionName: `${connectionName}-fail-fast`,
              lazyConnect: true,
              enableOfflineQueue: false,
              maxRetriesPerRequest: 0,
              commandTimeout: REDIS_FAIL_FAST_TIMEOUT_MS,
              connectTimeout: 1000,
              retryStrategy: (times) => Math.min(times * 100, 1000),
            }),
        },
      ],
      exports: [REDIS, REDIS_FAIL_FAST],
    };
  }

  async onModuleInit(): Promise<void> {
    this.redis.on('error', () => undefined); // readiness reports it
    this.failFast.on('error', () => undefined); // each failed command reports it
    this.health.register('redis', async () => {
      const pong = await this.redis.ping();
      if (pong !== 'PONG') throw new Error(`unexpected PING reply ${String(pong)}`);
    });
    await Promise.all([this.redis.connect().catch(() => undefined), this.failFast.connect().catch(() => undefined)]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.failFast.disconnect();
    this.redis.disconnect();
  }
}
