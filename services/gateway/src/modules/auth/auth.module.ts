import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { AuthGuard } from './auth.guard';
import { CREDENTIAL_VERIFIERS, type CredentialVerifier } from './credential-verifier';
import { JwtCredentialVerifier } from './jwt-credential-verifier';
import { jwtSettings } from './jwt-settings';
import { rejectTenantHeader } from './reject-tenant-header.middleware';
import { ResolveDefaultPrincipalUseCase } from './usecases/resolve-default-principal/resolve-default-principal.usecase';

/**
 * The auth edge: credential verifiers (access tokens; API keys join CREDENTIAL_VERIFIERS as another
 * CredentialVerifier), the guard that turns them into a principal, and the refusal of client-sent
 * tenant headers on the public API. AppModule installs the guard globally (before rate limits).
 */
@Module({
  providers: [
    {
      provide: JwtCredentialVerifier,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new JwtCredentialVerifier(jwtSettings(config)),
    },
    {
      provide: CREDENTIAL_VERIFIERS,
      inject: [JwtCredentialVerifier],
      useFactory: (jwt: JwtCredentialVerifier): CredentialVerifier[] => [jwt],
    },
    ResolveDefaultPrincipalUseCase,
    AuthGuard,
  ],
  exports: [AuthGuard],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(rejectTenantHeader).forRoutes('api/*path');
  }
}
