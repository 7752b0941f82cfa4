import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { NoQueryDto } from '../../http/no-query.dto';
import { PrincipalDto } from './dtos/principal.dto';
import { GetMeUseCase } from './usecases/get-me/get-me.usecase';

@ApiTags('account')
@ApiBearerAuth('bearer')
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly getMe: GetMeUseCase) {}

  @Get()
  @ApiOperation({ summary: 'The caller: tenant, user, role, plan and session from the verified token' })
  @ApiOkResponse({ type: PrincipalDto })
  @ApiProblems(400, 401, 429)
  me(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryDto): Principal {
    return this.getMe.execute(principal);
  }
}
