import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { changeMemberRoleBodySchema, parseInput } from '@parley/contracts';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { ChangeMemberRoleCommand } from './usecases/change-member-role/change-member-role.command';
import { ChangeMemberRoleUseCase } from './usecases/change-member-role/change-member-role.usecase';
import { ListMembersCommand } from './usecases/list-members/list-members.command';
import { ListMembersUseCase } from './usecases/list-members/list-members.usecase';
import { RemoveMemberCommand } from './usecases/remove-member/remove-member.command';
import { RemoveMemberUseCase } from './usecases/remove-member/remove-member.usecase';
import { SignOutMemberCommand } from './usecases/sign-out-member/sign-out-member.command';
import { SignOutMemberUseCase } from './usecases/sign-out-member/sign-out-member.usecase';

/** The members of the caller's tenant (the tenant of the access token, nothing else). */
@Controller('auth/members')
@UseGuards(BearerAuthGuard)
export class MembersController {
  constructor(
    private readonly listMembers: ListMembersUseCase,
    private readonly changeRole: ChangeMemberRoleUseCase,
    private readonly removeMember: RemoveMemberUseCase,
    private readonly signOutMember: SignOutMemberUseCase,
  ) {}

  @Get()
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listMembers.execute(ListMembersCommand.create(access));
  }

  @Patch(':userId')
  change(@CurrentAccess() access: VerifiedAccess, @Param('userId') userId: string, @Body() body: unknown) {
    return this.changeRole.execute(
      ChangeMemberRoleCommand.create(access, userId, parseInput(changeMemberRoleBodySchema, body, 'body')),
    );
  }

  /** "Sign out everywhere" for a member: every session of theirs in this tenant, at once. */
  @Post(':userId/sign-out')
  @HttpCode(204)
  signOut(@CurrentAccess() access: VerifiedAccess, @Param('userId') userId: string) {
    return this.signOutMember.execute(SignOutMemberCommand.create(access, userId));
  }

  @Delete(':userId')
  @HttpCode(204)
  remove(@CurrentAccess() access: VerifiedAccess, @Param('userId') userId: string) {
    return this.removeMember.execute(RemoveMemberCommand.create(access, userId));
  }
}
