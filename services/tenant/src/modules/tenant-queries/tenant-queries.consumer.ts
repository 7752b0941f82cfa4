import { Controller } from '@nestjs/common';
import { OnCommand } from '@parley/bus';
import { TenantGetDefaultV1, TenantGetV1 } from '@parley/contracts';
import { GetCurrentTenantUseCase } from './usecases/get-current-tenant/get-current-tenant.usecase';
import { GetDefaultTenantUseCase } from './usecases/get-default-tenant/get-default-tenant.usecase';

/**
 * Kafka edge for tenant reads the gateway makes: `tenant.get.v1` (the tenant of the message's
 * `x-tenant-id` header) and `tenant.get-default.v1`. Both payloads are empty (validated by the bus).
 */
@Controller()
export class TenantQueriesConsumer {
  constructor(
    private readonly currentTenant: GetCurrentTenantUseCase,
    private readonly defaultTenant: GetDefaultTenantUseCase,
  ) {}

  @OnCommand(TenantGetV1)
  get() {
    return this.currentTenant.execute();
  }

  @OnCommand(TenantGetDefaultV1)
  getDefault() {
    return this.defaultTenant.execute();
  }
}
