import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeyScope, DomainException, ErrorCode } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { markCounted, RequestQuotas } from '../rate-limit/request-quotas';
import { attachPrincipal } from './principal';
import { INFRASTRUCTURE_ROUTES, IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPE } from './require-scope.decorator';
import { AuthenticateRequestUseCase } from './usecases/authenticate-request/authenticate-request.usecase';

/**
 * Every route is authenticated unless marked @Public() (AuthenticateRequestUseCase: the principal,
 * its refusals, and the request counted against its rate limits in the same Redis round trip). The
 * tenant and user then go into the request context (and from there into logs and bus headers); the
 * rate-limit decision waits on the request for the rate-limit guard, which runs after the
 * tenant-status guard. A route marked @RequireScope refuses an API key without that scope (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateRequestUseCase,
    private readonly quotas: RequestQuotas,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is a client edge; bus handlers (the gateway has none) trust the bus headers.
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.isPublic(context, req)) return true;
    const requiredScope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const { principal, rateLimit } = await this.authenticate
      .execute({
        headers: req.headers,
        clientAddress: req.ip,
        requiredScope,
        quotaOf: (p) => this.quotas.of(context, p),
      })
      .catch((error: unknown) => {
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined)
          context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', retryAfter);
        throw error;
      });
    RequestContext.assign({ tenantId: principal.tenantId, userId: principal.userId ?? undefined });
    attachPrincipal(req, principal);
    if (rateLimit) markCounted(req, rateLimit);
    return true;
  }

  private isPublic(context: ExecutionContext, req: FastifyRequest): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const route = req.is404 ? undefined : req.routeOptions.url;
    return route !== undefined && INFRASTRUCTURE_ROUTES.has(route);
  }
}

/** The Retry-After of a refusal for too many refused credentials. */
function retryAfterOf(error: unknown): string | undefined {
  if (!(error instanceof DomainException) || error.code !== ErrorCode.RateLimited) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? String(seconds) : undefined;
}
