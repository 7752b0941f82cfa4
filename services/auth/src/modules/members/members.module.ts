import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { ChangeMemberRoleUseCase } from './usecases/change-member-role/change-member-role.usecase';
import { ListMembersUseCase } from './usecases/list-members/list-members.usecase';
import { RemoveMemberUseCase } from './usecases/remove-member/remove-member.usecase';

/** A tenant's members and roles: list, change a role, remove (the last owner stays). */
@Module({
  imports: [AccessTokensModule, AuthorizationModule, TenantPlansModule],
  controllers: [MembersController],
  providers: [MembersRepository, ListMembersUseCase, ChangeMemberRoleUseCase, RemoveMemberUseCase],
  exports: [MembersRepository],
})
export class MembersModule {}
