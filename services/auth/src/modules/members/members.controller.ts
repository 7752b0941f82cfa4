import { Body, Controller, Delete, Get, HttpCode, Param, Patch, UseGuards } from '@nestjs/common';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { ChangeMemberRoleDto } from './dtos/change-member-role.dto';
import { ChangeMemberRoleCommand } from './usecases/change-member-role/change-member-role.command';
import { ChangeMemberRoleUseCase } from './usecases/change-member-role/change-member-role.usecase';
import { ListMembersCommand } from './usecases/list-members/list-members.command';
import { ListMembersUseCase } from './usecases/list-members/list-members.usecase';
import { RemoveMemberCommand } from './usecases/remove-member/remove-member.command';
import { RemoveMemberUseCase } from './usecases/remove-member/remove-member.usecase';

/** The members of the caller's tenant (the tenant of the access token, nothing else). */
@Controller('auth/members')
@UseGuards(BearerAuthGuard)
export class MembersController {
  constructor(
    private readonly listMembers: ListMembersUseCase,
    private readonly changeRole: ChangeMemberRoleUseCase,
    private readonly removeMember: RemoveMemberUseCase,
  ) {}

  @Get()
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listMembers.execute(ListMembersCommand.create(access));
  }

  @Patch(':userId')
  change(@CurrentAccess() access: VerifiedAccess, @Param('userId') userId: string, @Body() body: ChangeMemberRoleDto) {
    return this.changeRole.execute(ChangeMemberRoleCommand.create(access, userId, body));
  }

  @Delete(':userId')
  @HttpCode(204)
  remove(@CurrentAccess() access: VerifiedAccess, @Param('userId') userId: string) {
    return this.removeMember.execute(RemoveMemberCommand.create(access, userId));
  }
}
