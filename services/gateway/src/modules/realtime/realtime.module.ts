import { Module } from '@nestjs/common';
import { ServiceMetrics } from '@parley/observability';
import { AuthModule } from '../auth/auth.module';
import { TenantStatusModule } from '../tenant-status/tenant-status.module';
import { RealtimeEndpoint } from './realtime.endpoint';
import { RealtimeHub } from './realtime.hub';
import { RealtimeMetrics } from './realtime.metrics';
import { AuthenticateUpgradeUseCase } from './usecases/authenticate-upgrade/authenticate-upgrade.usecase';

/**
 * WebSockets at /ws: the endpoint (createGatewayApp attaches it to the HTTP server), the upgrade
 * authentication (the HTTP edge's verifiers and tenant-status check), and the hub that later
 * features (issue 4's streaming) use to reach a tenant's user.
 */
@Module({
  imports: [AuthModule, TenantStatusModule],
  providers: [
    { provide: RealtimeMetrics, inject: [ServiceMetrics], useFactory: (m: ServiceMetrics) => new RealtimeMetrics(m) },
    AuthenticateUpgradeUseCase,
    RealtimeHub,
    RealtimeEndpoint,
  ],
  exports: [RealtimeHub],
})
export class RealtimeModule {}
