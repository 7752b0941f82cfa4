import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { TenantsModule } from '../tenants/tenants.module';
import { BootstrapTenancyUseCase } from './usecases/bootstrap-tenancy/bootstrap-tenancy.usecase';
import { MigrateAllUseCase } from './usecases/migrate-all/migrate-all.usecase';

@Module({
  imports: [TenantsModule, PlansModule],
  providers: [MigrateAllUseCase, BootstrapTenancyUseCase],
  exports: [MigrateAllUseCase],
})
export class SchemaMigrationsModule {}
