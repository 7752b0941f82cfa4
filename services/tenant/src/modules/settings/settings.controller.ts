import { Body, Controller, Get, Headers, Param, Put } from '@nestjs/common';
import { PutSettingDto } from './dtos/put-setting.dto';
import { GetSettingQuery } from './usecases/get-setting/get-setting.query';
import { GetSettingUseCase } from './usecases/get-setting/get-setting.usecase';
import { PutSettingCommand } from './usecases/put-setting/put-setting.command';
import { PutSettingUseCase } from './usecases/put-setting/put-setting.usecase';

/**
 * Internal settings API: the tenant id in the path decides the schema (validated, then set as the
 * tenant context for TenantDb). The public route through the gateway will take it from credentials.
 */
@Controller('internal/tenants/:tenantId/settings')
export class SettingsController {
  constructor(
    private readonly getSetting: GetSettingUseCase,
    private readonly putSetting: PutSettingUseCase,
  ) {}

  @Get(':key')
  get(@Param('tenantId') tenantId: string, @Param('key') key: string) {
    return this.getSetting.execute(GetSettingQuery.create({ tenantId, key }));
  }

  @Put(':key')
  put(
    @Param('tenantId') tenantId: string,
    @Param('key') key: string,
    @Body() body: PutSettingDto,
    @Headers('x-actor') actor?: string,
  ) {
    return this.putSetting.execute(PutSettingCommand.create({ tenantId, actor, key, value: body.value }));
  }
}
