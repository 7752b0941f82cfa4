import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@parley/config';
import { HealthRegistry } from '@parley/observability';
import { createDataSource } from './create-data-source';
import { DATA_SOURCE } from './database.tokens';
import { TenantDb } from './tenant-db';
import { CONTROL_ENTITIES } from '../control-plane/control-entities';
import { FeatureFlagsReader } from '../control-plane/feature-flags.reader';
import { PlanLimitsReader } from '../control-plane/plan-limits.reader';

/** One shared Postgres pool per service, TenantDb on top of it, and a readiness check. */
@Global()
@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(config: DatabaseConfig | null, applicationName: string, entities: Function[] = []): DynamicModule {
    if (!config) throw new Error(`DatabaseModule needs DATABASE_URL for ${applicationName}`);
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATA_SOURCE,
          // The pool connects lazily: a service starts, reports not-ready, and recovers when Postgres is back.
          useFactory: () =>
            createDataSource(config, `parley-${applicationName}`, [
              ...CONTROL_ENTITIES,
              ...entities,
            ] as (new () => unknown)[]),
        },
        TenantDb,
        PlanLimitsReader,
        FeatureFlagsReader,
      ],
      exports: [DATA_SOURCE, TenantDb, PlanLimitsReader, FeatureFlagsReader],
    };
  }

  async onModuleInit(): Promise<void> {
    this.health.register('postgres', async () => {
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      await this.dataSource.query('SELECT 1');
    });
    try {
      await this.dataSource.initialize();
    } catch {
      // Readiness reports it and retries; liveness stays up.
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
