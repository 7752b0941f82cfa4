import { Injectable } from '@nestjs/common';
import { publicRoute, type PublicRoute } from '@parley/contracts';
import type { Principal } from '../auth/principal';
import { ForwardRouteUseCase } from './usecases/forward-route/forward-route.usecase';
import type { HttpAnswer } from '@parley/observability';

/** The generation routes a WebSocket frame can ask for (as their HTTP twins). */
export type GenerationKind = 'send' | 'regenerate' | 'resend';

const GENERATION_ROUTES: Record<GenerationKind, PublicRoute> = {
  send: publicRoute('messages.send'),
  regenerate: publicRoute('messages.regenerate'),
  resend: publicRoute('messages.resend'),
};
const STOP_ROUTE = publicRoute('messages.stop');

export interface ChatCallOptions {
  /** Aborting destroys the upstream request: the orchestrator stops the answer. */
  signal: AbortSignal;
  requestId: string;
  traceparent: string;
}

/**
 * The typed chat client of the WebSocket path: the same table routes and the same forwarder as
 * the HTTP path (`POST /api/v1/conversations/{id}/messages` with SSE), so a frame and an HTTP
 * request reach the orchestrator identically. Resolves at the answer head, body unread.
 */
@Injectable()
export class ChatClient {
  constructor(private readonly forward: ForwardRouteUseCase) {}

  generate(
    principal: Principal,
    kind: GenerationKind,
    conversationId: string,
    body: { content?: string; model?: string },
    options: ChatCallOptions,
  ): Promise<HttpAnswer> {
    return this.forward.execute({
      route: GENERATION_ROUTES[kind],
      params: { id: conversationId },
      search: '',
      body,
      principal,
      stream: true,
      ...options,
    });
  }

  stop(principal: Principal, conversationId: string, options: ChatCallOptions): Promise<HttpAnswer> {
    return this.forward.execute({
      route: STOP_ROUTE,
      params: { id: conversationId },
      search: '',
      body: {},
      principal,
      stream: false,
      ...options,
    });
  }
}
