import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, TenantMigrationRunner } from '@parley/tenancy';
import { TenantStateModule } from '../tenant-state/tenant-state.module';
import { TenantsConsumer } from './tenants.consumer';
import { TenantsController } from './tenants.controller';
import { TenantSignupsPruneJob } from './tenant-signups-prune.job';
import { TenantSignupsRepository } from './tenant-signups.repository';
import { TenantsRepository } from './tenants.repository';
import { AbandonSignupUseCase } from './usecases/abandon-signup/abandon-signup.usecase';
import { CreateTenantUseCase } from './usecases/create-tenant/create-tenant.usecase';
import { EnsureDefaultTenantUseCase } from './usecases/ensure-default-tenant/ensure-default-tenant.usecase';
import { GetTenantUseCase } from './usecases/get-tenant/get-tenant.usecase';
import { ListTenantsUseCase } from './usecases/list-tenants/list-tenants.usecase';
import { PruneTenantSignupsUseCase } from './usecases/prune-tenant-signups/prune-tenant-signups.usecase';

@Module({
  imports: [TenantStateModule],
  controllers: [TenantsController, TenantsConsumer],
  providers: [
    TenantsRepository,
    TenantSignupsRepository,
    AbandonSignupUseCase,
    CreateTenantUseCase,
    EnsureDefaultTenantUseCase,
    GetTenantUseCase,
    ListTenantsUseCase,
    PruneTenantSignupsUseCase,
    TenantSignupsPruneJob,
    {
      provide: TenantMigrationRunner,
      inject: [DATA_SOURCE],
      useFactory: (ds: DataSource) => new TenantMigrationRunner(ds),
    },
  ],
  exports: [EnsureDefaultTenantUseCase, TenantMigrationRunner],
})
export class TenantsModule {}
