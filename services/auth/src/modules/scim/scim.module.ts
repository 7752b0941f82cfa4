import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { MembersModule } from '../members/members.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { ScimAdminController } from './scim-admin.controller';
import { ScimMembershipSync } from './scim-membership-sync';
import { ScimProtocolController } from './scim-protocol.controller';
import { ScimRepository } from './scim.repository';
import { ScimTokenGuard } from './scim-token.guard';
import { DeleteScimUserUseCase } from './usecases/delete-scim-user.usecase';
import { ManageScimDirectoryUseCase } from './usecases/manage-scim-directory.usecase';
import { ReadScimGroupsUseCase } from './usecases/read-scim-groups.usecase';
import { ReadScimUsersUseCase } from './usecases/read-scim-users.usecase';
import { WriteScimGroupUseCase } from './usecases/write-scim-group.usecase';
import { WriteScimUserUseCase } from './usecases/write-scim-user.usecase';

/** SCIM 2.0 directory sync per tenant: the protocol at /scim/v2 and its admin routes. */
@Module({
  imports: [AccessTokensModule, AccountsModule, AuthorizationModule, MembersModule, SessionsModule, TenantPlansModule],
  controllers: [ScimAdminController, ScimProtocolController],
  providers: [
    ScimRepository,
    ScimTokenGuard,
    ScimMembershipSync,
    ReadScimUsersUseCase,
    WriteScimUserUseCase,
    DeleteScimUserUseCase,
    ReadScimGroupsUseCase,
    WriteScimGroupUseCase,
    ManageScimDirectoryUseCase,
  ],
})
export class ScimModule {}
