import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { type ApiKeyScope, DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger, RequestContext } from '@parley/observability';
import { SessionRevocations } from '@parley/tenancy';
import { CredentialFailureLimiter } from '../rate-limit/credential-failure.limiter';
import { CREDENTIAL_VERIFIERS, type CredentialVerifier } from './credential-verifier';
import { MembershipRoles } from './membership-roles';
import { attachPrincipal, type Principal } from './principal';
import { scopeRefusal } from './principal-scope';
import { INFRASTRUCTURE_ROUTES, IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPE } from './require-scope.decorator';
import { ResolveDefaultPrincipalUseCase } from './usecases/resolve-default-principal/resolve-default-principal.usecase';

/**
 * Every route is authenticated unless marked @Public(). The principal comes from the first
 * verifier that recognises the request's credential; without one, a self-hosted gateway with
 * AUTH_REQUIRED=false acts as the default tenant's owner, anything else is 401. The tenant and
 * user then go into the request context (and from there into logs and bus headers). A route marked
 * @RequireScope refuses an API key without that scope (403 `insufficient_scope`), before the
 * tenant-status and rate-limit guards run.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly authRequired: boolean;
  private lastUncheckedWarning = 0;

  constructor(
    private readonly reflector: Reflector,
    @Inject(CREDENTIAL_VERIFIERS) private readonly verifiers: readonly CredentialVerifier[],
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly defaultPrincipal: ResolveDefaultPrincipalUseCase,
    private readonly failures: CredentialFailureLimiter,
    private readonly roles: MembershipRoles,
    private readonly revocations: SessionRevocations,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.authRequired = config.gateway?.authRequired ?? true;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is a client edge; bus handlers (the gateway has none) trust the bus headers.
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.isPublic(context, req)) return true;
    const principal = await this.authenticate(req.headers, req.ip).catch((error: unknown) => {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined)
        context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', retryAfter);
      throw error;
    });
    RequestContext.assign({ tenantId: principal.tenantId, userId: principal.userId ?? undefined });
    attachPrincipal(req, principal);
    const required = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const refusal = scopeRefusal(principal, required);
    if (refusal) throw refusal;
    return true;
  }

  private isPublic(context: ExecutionContext, req: FastifyRequest): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const route = req.is404 ? undefined : req.routeOptions.url;
    return route !== undefined && INFRASTRUCTURE_ROUTES.has(route);
  }

  /**
   * The principal for these credential headers (also used by the WebSocket upgrade); throws a 401
   * DomainException. A presented credential is looked up only while the client address has refused
   * credentials left in its window (else 429), and a refusal counts against it.
   */
  async authenticate(headers: IncomingHttpHeaders, clientAddress: string | undefined): Promise<Principal> {
    const verifier = this.verifiers.find((v) => v.recognises(headers));
    const remembered = verifier?.remembered?.(headers);
    if (remembered) return this.rememberedPrincipal(remembered, clientAddress);
    return this.withCurrentMembership(await this.verify(verifier, headers, clientAddress));
  }

  /**
   * A credential verified moments ago costs no lookup, so the address's refused-credentials check
   * and the session's revocation check go out together (one Redis round trip of waiting instead of
   * two); the address's refusal (429) still wins over anything the credential says. (The role may
   * then be read from auth for a refused address too: a valid token's, at most once per role cache
   * period per member, never a guessed credential's.)
   */
  private async rememberedPrincipal(principal: Principal, clientAddress: string | undefined): Promise<Principal> {
    const [allowed, current] = await Promise.allSettled([
      this.failures.assertAllowed(clientAddress ?? 'unknown'),
      this.withCurrentMembership(principal),
    ]);
    if (allowed.status === 'rejected') throw allowed.reason;
    if (current.status === 'rejected') throw current.reason;
    return current.value;
  }

  /**
   * For a user, two checks side by side: the token's session is not in the revocation set (one
   * Redis EXISTS: sign-out, refresh-token reuse, password reset, removal and "sign out everywhere"
   * apply at the next request), and the role is read from auth's memberships (cached ≤ 5 s,
   * forgotten on `auth.membership-changed.v1`), never taken from the access token. A revoked
   * session or a removed member is 401 `session_revoked`. While Redis cannot answer, the gateway
   * serves on as its rate limits do (logged): auth still refuses the session's refresh tokens, and
   * its access tokens expire within ACCESS_TOKEN_TTL_SECONDS.
   */
  private async withCurrentMembership(principal: Principal): Promise<Principal> {
    if (principal.kind !== 'user' || principal.userId === null) return principal;
    const [revoked, role] = await Promise.all([
      principal.sessionId === null ? 'live' : this.revocations.isRevoked(principal.tenantId, principal.sessionId),
      this.roles.current(principal.tenantId, principal.userId),
    ]);
    if (revoked === 'revoked') throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    if (revoked === 'unknown') this.warnUnchecked();
    if (role === null) throw new DomainException(ErrorCode.SessionRevoked, 'You are no longer a member of this tenant');
    return role === principal.role ? principal : { ...principal, role };
  }

  private warnUnchecked(): void {
    const now = Date.now();
    if (now - this.lastUncheckedWarning < 10_000) return;
    this.lastUncheckedWarning = now;
    this.logger.warn('Redis cannot answer: session revocations are not checked until it is back');
  }

  private async verify(
    verifier: CredentialVerifier | undefined,
    headers: IncomingHttpHeaders,
    clientAddress: string | undefined,
  ): Promise<Principal> {
    if (verifier || headers.authorization !== undefined) {
      const address = clientAddress ?? 'unknown';
      await this.failures.assertAllowed(address);
      try {
        if (!verifier) throw new DomainException(ErrorCode.InvalidAccessToken, 'Access token is invalid');
        return await verifier.verify(headers);
      } catch (error) {
        if (error instanceof DomainException && error.httpStatus === 401) await this.failures.recordFailure(address);
        throw error;
      }
    }
    if (!this.authRequired) return this.defaultPrincipal.execute();
    throw new DomainException(
      ErrorCode.AuthenticationRequired,
      'Authentication required: send Authorization: Bearer <token> or an API key',
    );
  }
}

/** The Retry-After of a refusal for too many refused credentials. */
function retryAfterOf(error: unknown): string | undefined {
  if (!(error instanceof DomainException) || error.code !== ErrorCode.RateLimited) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? String(seconds) : undefined;
}
