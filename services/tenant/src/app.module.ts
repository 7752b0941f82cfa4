import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { TenantCreatedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { SchemaMigrationsModule } from './modules/schema-migrations/schema-migrations.module';
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
      ],
    };
  }
}
