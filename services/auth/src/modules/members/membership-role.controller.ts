import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { membershipRoleQuerySchema } from '@parley/contracts';
import { parseInput } from '../../common/parse-input';
import { GetMemberRoleUseCase } from './usecases/get-member-role/get-member-role.usecase';

/** Service-to-service (a service credential, checked for every `internal/` route): the gateway reads a member's current role here. */
@Controller('internal/memberships')
export class MembershipRoleController {
  constructor(private readonly getRole: GetMemberRoleUseCase) {}

  @Post('role')
  @HttpCode(200)
  role(@Body() body: unknown) {
    return this.getRole.execute(parseInput(membershipRoleQuerySchema, body, 'membership query'));
  }
}
