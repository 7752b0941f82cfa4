import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { BootstrapTenancyUseCase } from './usecases/bootstrap-tenancy/bootstrap-tenancy.usecase';
import { MigrateAllUseCase } from './usecases/migrate-all/migrate-all.usecase';

@Module({
  imports: [TenantsModule],
  providers: [MigrateAllUseCase, BootstrapTenancyUseCase],
  exports: [MigrateAllUseCase],
})
export class SchemaMigrationsModule {}
