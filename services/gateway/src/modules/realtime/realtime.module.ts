import { Module } from '@nestjs/common';
import { ServiceMetrics } from '@parley/observability';
import { AuthModule } from '../auth/auth.module';
import { EdgeRoutesModule } from '../edge-routes/edge-routes.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { TenantStatusModule } from '../tenant-status/tenant-status.module';
import { ChatAdmission } from './chat-admission';
import { RealtimeChatHandler } from './realtime-chat.handler';
import { RealtimeSttHandler } from './realtime-stt.handler';
import { RealtimeEndpoint } from './realtime.endpoint';
import { RealtimeHub } from './realtime.hub';
import { RealtimeMetrics } from './realtime.metrics';
import { SessionSockets } from './session-sockets';
import { AuthenticateUpgradeUseCase } from './usecases/authenticate-upgrade/authenticate-upgrade.usecase';
import { SendChatMessageUseCase } from './usecases/send-chat-message/send-chat-message.usecase';
import { StopChatMessageUseCase } from './usecases/stop-chat-message/stop-chat-message.usecase';

/**
 * WebSockets at /ws: the endpoint (createGatewayApp attaches it to the HTTP server), the upgrade
 * authentication (the HTTP edge's verifiers and tenant-status check), the hub that reaches a
 * tenant's user, and chat over the socket (`message.send`/`message.stop`, relayed from the
 * chat-orchestrator through the route table's chat client, admitted with the HTTP rate limits), and
 * speech sessions (`stt.start`, audio frames, `stt.stop`) relayed to the stt service's `/stream`.
 */
@Module({
  imports: [AuthModule, TenantStatusModule, RateLimitModule, EdgeRoutesModule],
  providers: [
    { provide: RealtimeMetrics, inject: [ServiceMetrics], useFactory: (m: ServiceMetrics) => new RealtimeMetrics(m) },
    AuthenticateUpgradeUseCase,
    RealtimeHub,
    ChatAdmission,
    SendChatMessageUseCase,
    StopChatMessageUseCase,
    RealtimeChatHandler,
    RealtimeSttHandler,
    RealtimeEndpoint,
    SessionSockets,
  ],
  exports: [RealtimeHub],
})
export class RealtimeModule {}
