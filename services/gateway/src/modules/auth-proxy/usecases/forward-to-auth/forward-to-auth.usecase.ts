import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { childTraceparent, RequestContext } from '@parley/observability';
import { MembershipRoles } from '../../../auth/membership-roles';
import { HttpForwarder, type UpstreamResponse } from '../../http-forwarder';
import { authUpstreamPath } from '../../upstream-path';

/** A member's role changed or the member was removed (`PATCH|DELETE /auth/members/{userId}`). */
const MEMBER_CHANGE = /^\/auth\/members\/([0-9a-f-]{36})(?:\?.*)?$/i;

/** Sign-up includes provisioning a tenant over Kafka: give the auth service time, but not forever. */
const FORWARD_TIMEOUT_MS = 10_000;

export interface ForwardToAuthCommand {
  method: string;
  originalUrl: string;
  body: unknown;
  authorization: string | undefined;
  /** As Express computes it with trust proxy: the auth service counts failed sign-ins per address. */
  clientIp: string | undefined;
}

/**
 * `/api/v1/auth/*` → the auth service's `/auth/*` over HTTP: method, JSON body, the caller's
 * Authorization, and our request id, a child traceparent and the client address (the gateway is
 * the trust boundary: X-Forwarded-For is set, not appended). Nothing else from the client travels.
 */
@Injectable()
export class ForwardToAuthUseCase implements OnApplicationShutdown {
  private readonly baseUrl: string;
  private readonly forwarder = new HttpForwarder('auth', FORWARD_TIMEOUT_MS);

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly roles: MembershipRoles,
  ) {
    if (!config.gateway) throw new Error('ForwardToAuthUseCase needs the gateway configuration');
    this.baseUrl = config.gateway.serviceUrls.auth.replace(/\/+$/, '');
  }

  async execute(command: ForwardToAuthCommand): Promise<UpstreamResponse> {
    const path = authUpstreamPath(command.originalUrl);
    if (!path) throw new DomainException(ErrorCode.RouteNotFound, 'Route not found');
    const ctx = RequestContext.current();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (command.authorization) headers.authorization = command.authorization;
    if (ctx) {
      headers['x-request-id'] = ctx.requestId;
      headers.traceparent = childTraceparent(ctx.traceparent);
    }
    if (command.clientIp) headers['x-forwarded-for'] = command.clientIp;
    const hasBody = command.body !== undefined && command.method !== 'GET' && command.method !== 'HEAD';
    if (hasBody) headers['content-type'] = 'application/json';
    const answer = await this.forwarder.forward({
      method: command.method,
      url: `${this.baseUrl}${path}`,
      headers,
      body: hasBody ? JSON.stringify(command.body) : undefined,
    });
    this.forgetChangedMember(command.method, path, answer.status, ctx?.tenantId);
    return answer;
  }

  /**
   * A membership changed through this replica: it forgets the member's role before answering, so
   * the member's next request here has the new role (other replicas learn it from
   * `auth.membership-changed.v1`).
   */
  private forgetChangedMember(method: string, path: string, status: number, tenantId: string | undefined): void {
    if ((method !== 'PATCH' && method !== 'DELETE') || status >= 300 || !tenantId) return;
    const userId = MEMBER_CHANGE.exec(path)?.[1];
    if (userId) this.roles.forget(tenantId, userId.toLowerCase());
  }

  onApplicationShutdown(): void {
    this.forwarder.close();
  }
}
