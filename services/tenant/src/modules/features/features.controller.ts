import { Body, Controller, Delete, Get, Headers, Param, Put } from '@nestjs/common';
import { SetFeatureDto } from './dtos/set-feature.dto';
import { GetTenantFeaturesUseCase } from './usecases/get-tenant-features/get-tenant-features.usecase';
import { SetTenantFeatureCommand } from './usecases/set-tenant-feature/set-tenant-feature.command';
import { SetTenantFeatureUseCase } from './usecases/set-tenant-feature/set-tenant-feature.usecase';

/** Internal feature-flag API: a tenant's effective flags, and its overrides of declared flags. */
@Controller('internal/tenants/:tenantId/features')
export class FeaturesController {
  constructor(
    private readonly getFeatures: GetTenantFeaturesUseCase,
    private readonly setFeature: SetTenantFeatureUseCase,
  ) {}

  @Get()
  list(@Param('tenantId') tenantId: string) {
    return this.getFeatures.execute(tenantId);
  }

  @Put(':name')
  set(
    @Param('tenantId') tenantId: string,
    @Param('name') name: string,
    @Body() body: SetFeatureDto,
    @Headers('x-actor') actor?: string,
  ) {
    return this.setFeature.execute(SetTenantFeatureCommand.create({ tenantId, actor, name, enabled: body.enabled }));
  }

  /** Clears the tenant's override: the global default applies again. */
  @Delete(':name')
  clear(@Param('tenantId') tenantId: string, @Param('name') name: string, @Headers('x-actor') actor?: string) {
    return this.setFeature.execute(SetTenantFeatureCommand.create({ tenantId, actor, name, enabled: null }));
  }
}
