import { Module } from '@nestjs/common';
import { TenantsRepository } from '../tenants/tenants.repository';
import { TenantQueriesConsumer } from './tenant-queries.consumer';
import { GetCurrentTenantUseCase } from './usecases/get-current-tenant/get-current-tenant.usecase';
import { GetDefaultTenantUseCase } from './usecases/get-default-tenant/get-default-tenant.usecase';

/**
 * Tenant reads over Kafka. TenantsRepository is stateless over the one shared DataSource; it is
 * provided here because TenantsModule does not export it.
 */
@Module({
  controllers: [TenantQueriesConsumer],
  providers: [TenantsRepository, GetCurrentTenantUseCase, GetDefaultTenantUseCase],
})
export class TenantQueriesModule {}
