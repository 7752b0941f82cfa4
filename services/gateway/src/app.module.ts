import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import {
  AuthMembershipChangedV1,
  TenantDeletedV1,
  TenantGetDefaultV1,
  TenantGetV1,
  TenantPurgedV1,
  TenantRestoredV1,
  TenantResumedV1,
  TenantSuspendedV1,
} from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AuthProxyModule } from './modules/auth-proxy/auth-proxy.module';
import { SsoProxyModule } from './modules/sso-proxy/sso-proxy.module';
import { AuthGuard } from './modules/auth/auth.guard';
import { AuthModule } from './modules/auth/auth.module';
import { ChatModule } from './modules/chat/chat.module';
import { MeModule } from './modules/me/me.module';
import { PlatformHealthModule } from './modules/platform-health/platform-health.module';
import { RateLimitGuard } from './modules/rate-limit/rate-limit.guard';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { TenantStatusGuard } from './modules/tenant-status/tenant-status.guard';
import { TenantStatusModule } from './modules/tenant-status/tenant-status.module';
import { TenantModule } from './modules/tenant/tenant.module';

/**
 * Composition root of the gateway. The global guards run in the order listed: authenticate first
 * (so limits key on the verified principal), then refuse a suspended or deleted tenant, then count
 * the request against its rate limits.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, {
          // The lifecycle events are consumed: created at start, so a gateway can subscribe before the tenant service runs.
          bus: {
            topics: [
              TenantGetV1,
              TenantGetDefaultV1,
              TenantSuspendedV1,
              TenantResumedV1,
              TenantDeletedV1,
              TenantRestoredV1,
              TenantPurgedV1,
              AuthMembershipChangedV1,
            ],
            warmRequester: true,
          },
        }),
        AuthModule,
        TenantStatusModule,
        RateLimitModule,
        AuthProxyModule,
        SsoProxyModule,
        MeModule,
        TenantModule,
        PlatformHealthModule,
        RealtimeModule,
        ChatModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: TenantStatusGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
      ],
    };
  }
}
