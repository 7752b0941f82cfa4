import { Module } from '@nestjs/common';
import { PUBLIC_ROUTES } from '@parley/contracts';
import { AuthModule } from '../auth/auth.module';
import { ChatClient } from './chat.client';
import { publicRoutesController } from './public-routes.controller';
import { ForwardRouteUseCase } from './usecases/forward-route/forward-route.usecase';

/**
 * The public routes of the services behind the gateway, registered from the route table in
 * `@parley/contracts` (PUBLIC_ROUTES) and forwarded by one generic forwarder: the client's call
 * authenticated, scope-checked, tenant-status-checked and rate-limited by the global guards, then
 * sent over kept-alive HTTP with the verified principal; streamed answers relayed frame by frame.
 * The chat client is exported for the WebSocket side (chat over `/ws`).
 */
@Module({
  imports: [AuthModule],
  controllers: [publicRoutesController(PUBLIC_ROUTES)],
  providers: [ForwardRouteUseCase, ChatClient],
  exports: [ChatClient],
})
export class EdgeRoutesModule {}
