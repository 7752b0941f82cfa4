import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import {
  DomainException,
  ErrorCode,
  InternalHeader,
  UPSTREAM_SERVICE_SPECS,
  UPSTREAM_SERVICES,
  upstreamPathOf,
  type PublicRoute,
  type UpstreamService,
} from '@parley/contracts';
import { childTraceparent, InternalTokens, RequestContext, HttpClient, type HttpAnswer } from '@parley/observability';
import { MembershipRoles } from '../../../auth/membership-roles';
import type { Principal } from '../../../auth/principal';
import { principalHeaders } from '../../principal-headers';

/**
 * A streamed answer: the orchestrator sends the SSE head once its checks passed (before calling a
 * provider), so the head comes quickly; then the stream may stay silent while a provider is slow
 * (first-token timeouts, retries, fallback — all bounded by the orchestrator), never longer than this.
 */
const STREAM_HEAD_TIMEOUT_MS = 30_000;
const STREAM_IDLE_TIMEOUT_MS = 600_000;
/** A generation without SSE answers once it is done (CHAT_GENERATION_MAX_MS, 10 min by default). */
const AWAITED_GENERATION_TIMEOUT_MS = 660_000;

export interface ForwardRouteCommand {
  route: PublicRoute;
  /** The route's path parameters, decoded. */
  params: Readonly<Record<string, string>>;
  /** `?…` as the client sent it, or ''. */
  search: string;
  /** The parsed JSON body (undefined: none), or the raw request stream of a `raw` route. */
  body: unknown;
  /** A raw route's body, and the client headers its route forwards (a signature over those bytes). */
  rawBody?: { stream: Readable; contentType: string; headers?: Readonly<Record<string, string>> };
  /** The verified principal; undefined on public routes. */
  principal: Principal | undefined;
  /** The client's Authorization header, for services that verify it themselves. */
  authorization?: string;
  /** As Express computes it with trust proxy. */
  clientIp?: string;
  /** The client's User-Agent, for audit entries (the principal token carries it, or it is forwarded). */
  userAgent?: string;
  /** The answer is wanted as Server-Sent Events (streaming routes only). */
  stream: boolean;
  /** The caller went away: destroy the upstream request at once. */
  signal: AbortSignal;
  /** Correlation for this call; by default the HTTP request's context. */
  requestId?: string;
  traceparent?: string;
}

/**
 * Forwards one public route to the service that owns it, by the route table: the service's path
 * with the parameters re-encoded, the query string as sent, the JSON body re-serialised (or a raw
 * body as it came), `x-request-id`, a child `traceparent`, and who calls — the signed principal
 * token, or the client's Authorization and address for services that verify credentials
 * themselves (and its user agent, for audit entries). No other client header travels, but those a raw route names (a signature). Resolves at the answer head, body unread.
 */
@Injectable()
export class ForwardRouteUseCase implements OnApplicationShutdown {
  private readonly clients: Record<UpstreamService, HttpClient>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: InternalTokens,
    private readonly roles: MembershipRoles,
  ) {
    const gateway = config.gateway;
    if (!gateway) throw new Error('ForwardRouteUseCase needs the gateway configuration');
    this.clients = Object.fromEntries(
      UPSTREAM_SERVICES.map((service) => [service, new HttpClient({ service, baseUrl: gateway.serviceUrls[service] })]),
    ) as Record<UpstreamService, HttpClient>;
  }

  async execute(command: ForwardRouteCommand): Promise<HttpAnswer> {
    const { route } = command;
    const path = upstreamPathOf(route, command.params);
    if (!path) throw new DomainException(ErrorCode.NotFound, 'Not found');
    const context = RequestContext.current();
    const requestId = command.requestId ?? context?.requestId ?? RequestContext.fresh().requestId;
    const headers: Record<string, string> = {
      accept: command.stream ? 'text/event-stream' : 'application/json',
      [InternalHeader.RequestId]: requestId,
      [InternalHeader.Traceparent]: childTraceparent(command.traceparent ?? context?.traceparent ?? ''),
      ...(await this.credentialHeaders(command, requestId)),
    };
    let body: string | Readable | undefined;
    if (command.body !== undefined && route.method !== 'GET') {
      body = JSON.stringify(command.body);
      headers['content-type'] = 'application/json';
    } else if (command.rawBody) {
      body = command.rawBody.stream;
      for (const [name, value] of Object.entries(command.rawBody.headers ?? {})) headers[name] ??= value;
      headers['content-type'] = command.rawBody.contentType;
    }
    const timeouts = this.timeouts(route, command.stream);
    const answer = await this.clients[route.upstream.service].open({
      method: route.method,
      path: `${path}${command.search}`,
      headers,
      body,
      signal: command.signal,
      ...timeouts,
    });
    this.forgetChangedMember(command, answer.status);
    return answer;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.clients).map((client) => client.close()));
  }

  private async credentialHeaders(command: ForwardRouteCommand, requestId: string): Promise<Record<string, string>> {
    const spec = UPSTREAM_SERVICE_SPECS[command.route.upstream.service];
    if (spec.credential === 'principal-token') {
      if (!command.principal) return {};
      return principalHeaders(command.principal, requestId, this.tokens, {
        ip: command.clientIp,
        userAgent: command.userAgent,
      });
    }
    const headers: Record<string, string> = {};
    if (command.authorization) headers.authorization = command.authorization;
    // The gateway is the trust boundary: X-Forwarded-For is set, not appended.
    if (command.clientIp) headers['x-forwarded-for'] = command.clientIp;
    if (command.userAgent) headers['user-agent'] = command.userAgent.slice(0, 512);
    return headers;
  }

  private timeouts(route: PublicRoute, stream: boolean): { headTimeoutMs: number; bodyIdleTimeoutMs: number } {
    const ordinary = UPSTREAM_SERVICE_SPECS[route.upstream.service].timeoutMs;
    if (route.streaming !== 'sse') return { headTimeoutMs: ordinary, bodyIdleTimeoutMs: ordinary };
    if (stream) return { headTimeoutMs: STREAM_HEAD_TIMEOUT_MS, bodyIdleTimeoutMs: STREAM_IDLE_TIMEOUT_MS };
    return { headTimeoutMs: AWAITED_GENERATION_TIMEOUT_MS, bodyIdleTimeoutMs: ordinary };
  }

  /**
   * A membership changed through this replica: it forgets the member's role before answering, so
   * the member's next request here has the new role (other replicas learn it from
   * `auth.membership-changed.v1`).
   */
  private forgetChangedMember(command: ForwardRouteCommand, status: number): void {
    const param = command.route.changesMember;
    if (!param || status >= 300 || !command.principal) return;
    const userId = command.params[param];
    if (userId && /^[0-9a-f-]{36}$/i.test(userId)) this.roles.forget(command.principal.tenantId, userId.toLowerCase());
  }
}
