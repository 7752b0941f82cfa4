import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, InternalHeader } from '@parley/contracts';
import { childTraceparent, InternalTokens, RequestContext } from '@parley/observability';
import type { Principal } from '../../../auth/principal';
import { ChatUpstreamClient, type ChatUpstreamResponse } from '../../chat-upstream.client';
import { chatUpstreamPath } from '../../chat-upstream-path';
import { principalHeaders } from '../../principal-headers';

/** Reads and changes: the orchestrator answers from its database. */
const JSON_HEAD_TIMEOUT_MS = 15_000;
/**
 * A streamed answer: the orchestrator sends the SSE head once its checks passed (before calling a
 * provider), so the head comes quickly; then the stream may stay silent while a provider is slow
 * (first-token timeouts, retries, fallback — all bounded by the orchestrator), never longer than this.
 */
const STREAM_HEAD_TIMEOUT_MS = 30_000;
const STREAM_IDLE_TIMEOUT_MS = 600_000;
/** A send without SSE answers once the whole generation is done (CHAT_GENERATION_MAX_MS, 10 min by default). */
const AWAITED_GENERATION_TIMEOUT_MS = 660_000;

export type ChatMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ForwardToChatCommand {
  principal: Principal;
  method: ChatMethod;
  /** The orchestrator route as segments (`['conversations', id, 'messages']`). */
  segments: readonly string[];
  /** The client's URL, for its query string. */
  originalUrl: string;
  /** The JSON body; undefined sends none. */
  body: unknown;
  /** The answer is wanted as Server-Sent Events (only the send route streams). */
  stream: boolean;
  /** The send route: without SSE its answer comes when the generation is done. */
  generation: boolean;
  /** The caller went away: destroy the upstream request at once. */
  signal: AbortSignal;
  /** Correlation for this call; by default the HTTP request's context. */
  requestId?: string;
  traceparent?: string;
}

/**
 * Forwards one chat call to the chat-orchestrator (`CHAT_SERVICE_URL` + the public path without
 * `/api/v1`) over kept-alive HTTP and resolves at the response head, body unread. What travels is
 * built by the gateway alone: method, path and query, the JSON body, `x-request-id`, a child
 * `traceparent` and the verified principal as a signed principal token. No client header is copied.
 */
@Injectable()
export class ForwardToChatUseCase implements OnApplicationShutdown {
  private readonly client: ChatUpstreamClient;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: InternalTokens,
  ) {
    if (!config.gateway) throw new Error('ForwardToChatUseCase needs the gateway configuration');
    this.client = new ChatUpstreamClient(config.gateway.serviceUrls.chat);
  }

  async execute(command: ForwardToChatCommand): Promise<ChatUpstreamResponse> {
    const path = chatUpstreamPath(command.segments, command.originalUrl);
    if (!path) throw new DomainException(ErrorCode.NotFound, 'Not found');
    const context = RequestContext.current();
    const requestId = command.requestId ?? context?.requestId ?? RequestContext.fresh().requestId;
    const traceparent = childTraceparent(command.traceparent ?? context?.traceparent ?? '');
    const headers: Record<string, string> = {
      accept: command.stream ? 'text/event-stream' : 'application/json',
      [InternalHeader.RequestId]: requestId,
      [InternalHeader.Traceparent]: traceparent,
      ...(await principalHeaders(command.principal, requestId, this.tokens)),
    };
    const body = command.body === undefined || command.method === 'GET' ? undefined : JSON.stringify(command.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.client.open({
      method: command.method,
      path,
      headers,
      body,
      signal: command.signal,
      headTimeoutMs: command.stream
        ? STREAM_HEAD_TIMEOUT_MS
        : command.generation
          ? AWAITED_GENERATION_TIMEOUT_MS
          : JSON_HEAD_TIMEOUT_MS,
      bodyIdleTimeoutMs: command.stream ? STREAM_IDLE_TIMEOUT_MS : JSON_HEAD_TIMEOUT_MS,
    });
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
