import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { TenantCreateV2, TenantGetDefaultV1, TenantSignupAbandonedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AccountsModule } from './modules/accounts/accounts.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { AuditModule } from './modules/audit/audit.module';
import { BillingNoticesModule } from './modules/billing-notices/billing-notices.module';
import { AuthSchemaModule } from './modules/auth-schema/auth-schema.module';
import { DomainsModule } from './modules/domains/domains.module';
import { InvitesModule } from './modules/invites/invites.module';
import { ScimModule } from './modules/scim/scim.module';
import { MembersModule } from './modules/members/members.module';
import { PasswordResetModule } from './modules/password-reset/password-reset.module';
import { SessionsModule } from './modules/sessions/sessions.module';
import { SigningKeysModule } from './modules/signing-keys/signing-keys.module';
import { DiscoveryModule } from './modules/sso/discovery/discovery.module';
import { SsoEnforcementModule } from './modules/sso/enforcement/sso-enforcement.module';
import { SsoModule } from './modules/sso/sso.module';

/** Composition root of the auth service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, {
          bus: { topics: [TenantCreateV2, TenantSignupAbandonedV1, TenantGetDefaultV1], warmRequester: true },
        }),
        AuditModule,
        AuthSchemaModule,
        SigningKeysModule,
        SessionsModule,
        AccountsModule,
        MembersModule,
        ApiKeysModule,
        InvitesModule,
        DomainsModule,
        ScimModule,
        PasswordResetModule,
        SsoModule,
        SsoEnforcementModule,
        DiscoveryModule,
        BillingNoticesModule,
      ],
    };
  }
}
