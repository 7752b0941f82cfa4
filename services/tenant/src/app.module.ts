import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { TenantCreatedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { FeaturesModule } from './modules/features/features.module';
import { PlansModule } from './modules/plans/plans.module';
import { SchemaMigrationsModule } from './modules/schema-migrations/schema-migrations.module';
import { SettingsModule } from './modules/settings/settings.module';
import { TenantQueriesModule } from './modules/tenant-queries/tenant-queries.module';
import { TenantLifecycleModule } from './modules/tenant-lifecycle/tenant-lifecycle.module';
import { TenantsModule } from './modules/tenants/tenants.module';

/** Composition root of the tenant service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, { bus: { topics: [TenantCreatedV1] } }),
        TenantsModule,
        SchemaMigrationsModule,
        TenantQueriesModule,
        PlansModule,
        SettingsModule,
        FeaturesModule,
        TenantLifecycleModule,
      ],
    };
  }
}
