import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../../authorization/authorization.module';
import { SessionsModule } from '../../sessions/sessions.module';
import { ManageSsoPolicyUseCase } from './manage-sso-policy.usecase';
import { SsoPolicyController } from './sso-policy.controller';
import { SsoPolicyModule } from './sso-policy.module';

/** The admin routes of "SSO required"; the gate itself is SsoPolicyModule's. */
@Module({
  imports: [AccessTokensModule, AuthorizationModule, SessionsModule, SsoPolicyModule],
  controllers: [SsoPolicyController],
  providers: [ManageSsoPolicyUseCase],
})
export class SsoEnforcementModule {}
