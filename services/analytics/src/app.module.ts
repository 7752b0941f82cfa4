import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { AuditLogModule } from './modules/audit-log/audit-log.module';
import { EventStoreModule } from './modules/event-store/event-store.module';
import { ForwardingModule } from './modules/forwarding/forwarding.module';
import { PrincipalModule } from './modules/principal/principal.module';
import { TenantEventsModule } from './modules/tenant-events/tenant-events.module';
import { UsageModule } from './modules/usage/usage.module';

/** Composition root of the analytics service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger),
        PrincipalModule,
        TenantEventsModule,
        EventStoreModule,
        ForwardingModule,
        UsageModule,
        AuditLogModule,
      ],
    };
  }
}
