import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NoQueryDto } from '../../http/no-query.dto';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { TenantViewDto } from './dtos/tenant-view.dto';
import { GetCurrentTenantUseCase } from './usecases/get-current-tenant/get-current-tenant.usecase';

@ApiTags('account')
@ApiBearerAuth('bearer')
@Controller('api/v1/tenant')
export class TenantController {
  constructor(private readonly getCurrentTenant: GetCurrentTenantUseCase) {}

  @Get()
  @ApiOperation({ summary: "The caller's tenant (from the token: there is no way to name another)" })
  @ApiOkResponse({ type: TenantViewDto })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  @RequireScope('tenant:read')
  get(@Query() _query: NoQueryDto) {
    return this.getCurrentTenant.execute();
  }
}
