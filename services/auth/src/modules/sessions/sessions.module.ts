import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { SessionRevocations } from '@parley/tenancy';
import { EdgeRevocation } from './edge-revocation';
import { SessionIssuer } from './session-issuer';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SignOutFollowUps } from './sign-out-follow-ups';
import { RefreshSessionUseCase } from './usecases/refresh-session/refresh-session.usecase';
import { SignOutUseCase } from './usecases/sign-out/sign-out.usecase';

/** Sessions, refresh-token rotation with reuse detection, sign-out; revoked sessions reach the edge. */
@Module({
  imports: [AccessTokensModule],
  controllers: [SessionsController],
  providers: [
    SessionsRepository,
    SessionIssuer,
    SessionRevocations,
    EdgeRevocation,
    RefreshSessionUseCase,
    SignOutUseCase,
    SignOutFollowUps,
  ],
  exports: [SessionIssuer, SessionsRepository, EdgeRevocation, SignOutFollowUps],
})
export class SessionsModule {}
