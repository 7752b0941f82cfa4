import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { MailModule } from '../mail/mail.module';
import { MembersModule } from '../members/members.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SsoPolicyModule } from '../sso/enforcement/sso-policy.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { InvitesController } from './invites.controller';
import { InvitesRepository } from './invites.repository';
import { AcceptInviteUseCase } from './usecases/accept-invite/accept-invite.usecase';
import { CreateInviteUseCase } from './usecases/create-invite/create-invite.usecase';
import { ListInvitesUseCase } from './usecases/list-invites/list-invites.usecase';
import { RevokeInviteUseCase } from './usecases/revoke-invite/revoke-invite.usecase';

/** Invites by mail: create (within the member limit), list, revoke, accept (joins and signs in). */
@Module({
  imports: [
    AccessTokensModule,
    AccountsModule,
    AuthorizationModule,
    MailModule,
    MembersModule,
    SessionsModule,
    SsoPolicyModule,
    TenantPlansModule,
  ],
  controllers: [InvitesController],
  providers: [InvitesRepository, CreateInviteUseCase, ListInvitesUseCase, RevokeInviteUseCase, AcceptInviteUseCase],
})
export class InvitesModule {}
