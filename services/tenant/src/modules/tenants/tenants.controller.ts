import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateTenantDto } from './dtos/create-tenant.dto';
import { ListTenantsQuery } from './dtos/list-tenants.query';
import { CreateTenantCommand } from './usecases/create-tenant/create-tenant.command';
import { CreateTenantUseCase } from './usecases/create-tenant/create-tenant.usecase';
import { GetTenantUseCase } from './usecases/get-tenant/get-tenant.usecase';
import { ListTenantsUseCase } from './usecases/list-tenants/list-tenants.usecase';

/**
 * Internal control-plane API of the tenant service (cluster-internal; the public API goes through
 * the gateway). Each route validates and calls one use case.
 */
@Controller('internal/tenants')
export class TenantsController {
  constructor(
    private readonly createTenant: CreateTenantUseCase,
    private readonly getTenant: GetTenantUseCase,
    private readonly listTenants: ListTenantsUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateTenantDto) {
    return this.createTenant.execute(CreateTenantCommand.create(body));
  }

  @Get()
  list(@Query() query: ListTenantsQuery) {
    return this.listTenants.execute(query.limit, query.offset);
  }

  @Get(':tenantId')
  get(@Param('tenantId') tenantId: string) {
    return this.getTenant.execute(tenantId);
  }
}
