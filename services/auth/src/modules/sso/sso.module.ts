import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { MembersModule } from '../members/members.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { IdpMetadataFetcher } from './connections/idp-metadata-fetcher';
import { MetadataRefreshJob } from './connections/metadata-refresh/metadata-refresh.job';
import { MetadataRefreshRepository } from './connections/metadata-refresh/metadata-refresh.repository';
import { RefreshIdpMetadataUseCase } from './connections/metadata-refresh/refresh-idp-metadata.usecase';
import { SsoCertificateMetrics } from './connections/sso-certificate-metrics';
import { SsoConnectionsController } from './connections/sso-connections.controller';
import { SsoConnectionsRepository } from './connections/sso-connections.repository';
import { SsoSecrets } from './connections/sso-secrets';
import { DeleteSsoConnectionUseCase } from './connections/usecases/delete-sso-connection/delete-sso-connection.usecase';
import { GetSsoConnectionUseCase } from './connections/usecases/get-sso-connection/get-sso-connection.usecase';
import { ListSsoConnectionsUseCase } from './connections/usecases/list-sso-connections/list-sso-connections.usecase';
import { ListSsoTracesUseCase } from './connections/usecases/list-sso-traces/list-sso-traces.usecase';
import { SaveSsoConnectionUseCase } from './connections/usecases/save-sso-connection/save-sso-connection.usecase';
import { RotateSpSigningKeyUseCase } from './connections/usecases/rotate-sp-signing-key/rotate-sp-signing-key.usecase';
import { JitProvisioner } from './jit-provisioner';
import { SsoConnectionResolver } from './connections/sso-connection-resolver';
import { LdapDirectory } from './ldap/ldap-directory';
import { LdapController } from './ldap/ldap.controller';
import { LdapSignInUseCase } from './ldap/usecases/ldap-sign-in/ldap-sign-in.usecase';
import { TestLdapConnectionUseCase } from './ldap/usecases/test-ldap-connection/test-ldap-connection.usecase';
import { OidcController } from './oidc/oidc.controller';
import { OidcDiscovery } from './oidc/oidc-discovery';
import { OidcHttp } from './oidc/oidc-http';
import { OidcLoginStore } from './oidc/oidc-login-store';
import { CompleteOidcLoginUseCase } from './oidc/usecases/complete-oidc-login/complete-oidc-login.usecase';
import { StartOidcLoginUseCase } from './oidc/usecases/start-oidc-login/start-oidc-login.usecase';
import { SamlConnectionResolver } from './saml/saml-connection-resolver';
import { SamlAssertionLedger } from './saml/saml-stores';
import { SamlController } from './saml/saml.controller';
import { ConsumeSamlResponseUseCase } from './saml/usecases/consume-saml-response/consume-saml-response.usecase';
import { GetSamlMetadataUseCase } from './saml/usecases/get-saml-metadata/get-saml-metadata.usecase';
import { StartSamlLoginUseCase } from './saml/usecases/start-saml-login/start-saml-login.usecase';
import { HandleSamlLogoutUseCase } from './saml/usecases/handle-saml-logout/handle-saml-logout.usecase';
import { StartSamlLogoutUseCase } from './saml/usecases/start-saml-logout/start-saml-logout.usecase';
import { SamlSessionsRepository } from './saml/saml-sessions.repository';
import { SsoPolicyModule } from './enforcement/sso-policy.module';
import { SocialController } from './social/social.controller';
import { SocialLoginStore } from './social/social-login-store';
import { SocialProviders } from './social/social-providers';
import { SocialSignIn } from './social/social-sign-in';
import { CompleteSocialLoginUseCase } from './social/usecases/complete-social-login/complete-social-login.usecase';
import { StartSocialLoginUseCase } from './social/usecases/start-social-login/start-social-login.usecase';

/**
 * Single sign-on: each tenant's IdP connections (admin API), SAML 2.0, OIDC and LDAP sign-in per
 * tenant, and the platform-wide social sign-in the operator turns on.
 */
@Module({
  imports: [
    AccessTokensModule,
    AccountsModule,
    AuthorizationModule,
    MembersModule,
    SessionsModule,
    SsoPolicyModule,
    TenantPlansModule,
  ],
  controllers: [SsoConnectionsController, SamlController, OidcController, LdapController, SocialController],
  providers: [
    SsoConnectionsRepository,
    {
      provide: SsoSecrets,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => SsoSecrets.fromConfig(config, logger),
    },
    IdpMetadataFetcher,
    MetadataRefreshRepository,
    RefreshIdpMetadataUseCase,
    MetadataRefreshJob,
    SsoCertificateMetrics,
    SaveSsoConnectionUseCase,
    RotateSpSigningKeyUseCase,
    ListSsoConnectionsUseCase,
    GetSsoConnectionUseCase,
    DeleteSsoConnectionUseCase,
    ListSsoTracesUseCase,
    JitProvisioner,
    SamlConnectionResolver,
    SamlAssertionLedger,
    GetSamlMetadataUseCase,
    StartSamlLoginUseCase,
    ConsumeSamlResponseUseCase,
    SamlSessionsRepository,
    StartSamlLogoutUseCase,
    HandleSamlLogoutUseCase,
    SsoConnectionResolver,
    OidcHttp,
    OidcDiscovery,
    OidcLoginStore,
    StartOidcLoginUseCase,
    CompleteOidcLoginUseCase,
    LdapDirectory,
    LdapSignInUseCase,
    TestLdapConnectionUseCase,
    SocialLoginStore,
    SocialProviders,
    SocialSignIn,
    StartSocialLoginUseCase,
    CompleteSocialLoginUseCase,
  ],
})
export class SsoModule {}
