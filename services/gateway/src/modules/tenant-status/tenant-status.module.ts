import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { TenantStatusConsumer } from './tenant-status.consumer';
import { TenantStatusGuard } from './tenant-status.guard';
import { TenantStatusStore } from './tenant-status.store';
import { RecordTenantStatusUseCase } from './usecases/record-tenant-status/record-tenant-status.usecase';

const TENANT_STATUS_REDIS = Symbol('TENANT_STATUS_REDIS');

/** Per-read budget on the request path; past it the last known status answers. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Suspended and deleted tenants are refused at the edge: the consumer keeps each tenant's status
 * from the lifecycle events in Redis; AppModule installs the guard globally between auth and rate
 * limits. Its Redis connection fails fast (no offline queue), so an outage never stalls requests.
 */
@Module({
  controllers: [TenantStatusConsumer],
  providers: [
    {
      provide: TENANT_STATUS_REDIS,
      inject: [REDIS],
      useFactory: (shared: Redis) =>
        shared.duplicate({
          connectionName: 'parley-gateway-tenant-status',
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        }),
    },
    {
      provide: TenantStatusStore,
      inject: [TENANT_STATUS_REDIS, REDIS, LOGGER],
      useFactory: (reader: Redis, writer: Redis, logger: Logger) => new TenantStatusStore(reader, writer, logger),
    },
    RecordTenantStatusUseCase,
    TenantStatusGuard,
  ],
  exports: [TenantStatusGuard, TenantStatusStore],
})
export class TenantStatusModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(TENANT_STATUS_REDIS) private readonly redis: Redis) {}

  async onModuleInit(): Promise<void> {
    this.redis.on('error', () => undefined); // reads log it and fall back
    await this.redis.connect().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
