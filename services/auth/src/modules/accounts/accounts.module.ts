import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { LockoutModule } from '../lockout/lockout.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SsoPolicyModule } from '../sso/enforcement/sso-policy.module';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { CredentialChecker } from './credential-checker';
import { PasswordHasher } from './password-hasher';
import { SignupSagaSweepJob } from './signup-saga-sweep.job';
import { SignupSagasRepository } from './signup-sagas.repository';
import { GetMeUseCase } from './usecases/get-me/get-me.usecase';
import { ListMembershipsUseCase } from './usecases/list-memberships/list-memberships.usecase';
import { SwitchOrganizationUseCase } from './usecases/switch-organization/switch-organization.usecase';
import { SignInUseCase } from './usecases/sign-in/sign-in.usecase';
import { SignUpCompensation } from './usecases/sign-up/sign-up-compensation';
import { SignUpUseCase } from './usecases/sign-up/sign-up.usecase';

/** Users and memberships: sign-up (with its tenant), sign-in (under the lockout), who am I. */
@Module({
  imports: [AccessTokensModule, SessionsModule, LockoutModule, SsoPolicyModule],
  controllers: [AccountsController],
  providers: [
    AccountsRepository,
    PasswordHasher,
    CredentialChecker,
    SignupSagasRepository,
    SignupSagaSweepJob,
    SignUpCompensation,
    SignUpUseCase,
    SignInUseCase,
    GetMeUseCase,
    ListMembershipsUseCase,
    SwitchOrganizationUseCase,
  ],
  exports: [AccountsRepository, PasswordHasher, CredentialChecker],
})
export class AccountsModule {}
