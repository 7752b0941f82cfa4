import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { InternalTokens } from '@parley/observability';
import { SessionRevocations } from '@parley/tenancy';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { TenantStatusModule } from '../tenant-status/tenant-status.module';
import { ApiKeyCredentialVerifier } from './api-key-credential-verifier';
import { AuthGuard } from './auth.guard';
import { CREDENTIAL_VERIFIERS, type CredentialVerifier } from './credential-verifier';
import { JwtCredentialVerifier } from './jwt-credential-verifier';
import { jwtSettings } from './jwt-settings';
import { MembershipConsumer } from './membership.consumer';
import { MembershipRoles } from './membership-roles';
import { AuthenticateRequestUseCase } from './usecases/authenticate-request/authenticate-request.usecase';
import { ResolveDefaultPrincipalUseCase } from './usecases/resolve-default-principal/resolve-default-principal.usecase';

/**
 * The auth edge: credential verifiers (API keys, checked with the auth service; access tokens,
 * against its JWKS), the member's current role (from auth, cached ≤ 5 s, forgotten on
 * `auth.membership-changed.v1`), the use case that turns them into a principal (checking the
 * address, the session and the rate limits in one Redis round trip) and the guard that calls it (client-sent tenant headers are
 * refused before, by the `rejectTenantHeader` hook of create-app). AppModule installs the guard globally (before rate limits).
 */
@Module({
  imports: [RateLimitModule, TenantStatusModule],
  providers: [
    {
      provide: JwtCredentialVerifier,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new JwtCredentialVerifier(jwtSettings(config)),
    },
    {
      provide: ApiKeyCredentialVerifier,
      inject: [APP_CONFIG, InternalTokens],
      useFactory: (config: AppConfig, tokens: InternalTokens) => {
        if (!config.gateway) throw new Error('ApiKeyCredentialVerifier needs the gateway configuration');
        return new ApiKeyCredentialVerifier(config.gateway.serviceUrls.auth, tokens);
      },
    },
    {
      provide: CREDENTIAL_VERIFIERS,
      inject: [ApiKeyCredentialVerifier, JwtCredentialVerifier],
      // API keys first: they also claim a request that sends X-API-Key next to an Authorization header (refused).
      useFactory: (apiKeys: ApiKeyCredentialVerifier, jwt: JwtCredentialVerifier): CredentialVerifier[] => [
        apiKeys,
        jwt,
      ],
    },
    {
      provide: MembershipRoles,
      inject: [APP_CONFIG, InternalTokens],
      useFactory: (config: AppConfig, tokens: InternalTokens) => {
        if (!config.gateway) throw new Error('MembershipRoles needs the gateway configuration');
        return new MembershipRoles(config.gateway.serviceUrls.auth, tokens);
      },
    },
    SessionRevocations,
    ResolveDefaultPrincipalUseCase,
    AuthenticateRequestUseCase,
    AuthGuard,
  ],
  controllers: [MembershipConsumer],
  // The verifier too: WebSockets re-check their API key through its cache while they are open.
  exports: [AuthGuard, AuthenticateRequestUseCase, ApiKeyCredentialVerifier, MembershipRoles, SessionRevocations],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(
    private readonly apiKeys: ApiKeyCredentialVerifier,
    private readonly roles: MembershipRoles,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.apiKeys.close(), this.roles.close()]);
  }
}
