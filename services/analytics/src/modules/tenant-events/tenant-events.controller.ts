import { Controller, Get, Param, ParseIntPipe, Query, DefaultValuePipe } from '@nestjs/common';
import { assertTenantId } from '@parley/tenancy';
import { ListTenantEventsUseCase } from './usecases/list-tenant-events/list-tenant-events.usecase';

/** Internal API (cluster-internal); the public analytics API arrives through the gateway. */
@Controller('internal/tenants/:tenantId/events')
export class TenantEventsController {
  constructor(private readonly listTenantEvents: ListTenantEventsUseCase) {}

  @Get()
  list(@Param('tenantId') tenantId: string, @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number) {
    return this.listTenantEvents.execute(assertTenantId(tenantId), Math.min(Math.max(limit, 1), 500));
  }
}
