import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { MembersController } from './members.controller';
import { MemberTarget } from './member-target';
import { MembershipEvents } from './membership-events';
import { MembershipRoleController } from './membership-role.controller';
import { MembersRepository } from './members.repository';
import { GetMemberRoleUseCase } from './usecases/get-member-role/get-member-role.usecase';
import { ChangeMemberRoleUseCase } from './usecases/change-member-role/change-member-role.usecase';
import { ListMembersUseCase } from './usecases/list-members/list-members.usecase';
import { RemoveMemberUseCase } from './usecases/remove-member/remove-member.usecase';
import { SignOutMemberUseCase } from './usecases/sign-out-member/sign-out-member.usecase';

/** A tenant's members and roles: list, change a role, remove (the last owner stays); the current role for the gateway. */
@Module({
  imports: [AccessTokensModule, AuthorizationModule, SessionsModule, TenantPlansModule],
  controllers: [MembersController, MembershipRoleController],
  providers: [
    MembersRepository,
    ListMembersUseCase,
    ChangeMemberRoleUseCase,
    RemoveMemberUseCase,
    GetMemberRoleUseCase,
    SignOutMemberUseCase,
    MembershipEvents,
    MemberTarget,
  ],
  exports: [MembersRepository, MembershipEvents],
})
export class MembersModule {}
