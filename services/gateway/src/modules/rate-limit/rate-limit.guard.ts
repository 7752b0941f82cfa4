import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, type GatewayConfig } from '@parley/config';
import { DomainException, ErrorCode, type RateLimitClass } from '@parley/contracts';
import { principalOf } from '../auth/principal';
import { quotaForClient, quotaForPrincipal, type RateLimitDecision } from './rate-limit.policy';
import { RATE_LIMIT_CLASS } from './rate-limit-class';
import { RateLimiter } from './rate-limiter';

/**
 * Counts every public-API request (`/api/...`) against its quota: the principal's tenant and
 * principal when authenticated (it runs after the auth guard), else the client address; a route of
 * the route table counts by its declared class. Sets the
 * RateLimit-* headers on every answer, and Retry-After with a 429 `rate_limited` when refused.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limits: GatewayConfig['rateLimit'];

  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (!config.gateway) throw new Error('RateLimitGuard needs the gateway configuration');
    this.limits = config.gateway.rateLimit;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!req.url.startsWith('/api/')) return true;
    const declared = this.reflector.get<RateLimitClass | undefined>(RATE_LIMIT_CLASS, context.getHandler());
    const principal = declared === 'client' ? undefined : principalOf(req);
    const quota = principal ? quotaForPrincipal(principal, this.limits) : quotaForClient(req.ip, this.limits);
    const decision = await this.limiter.consume(quota);
    setRateLimitHeaders(context.switchToHttp().getResponse<FastifyReply>(), decision);
    if (!decision.allowed) {
      throw new DomainException(
        ErrorCode.RateLimited,
        `Rate limit exceeded: retry after ${decision.retryAfterSeconds} s`,
        { retryAfterSeconds: decision.retryAfterSeconds },
        true,
      );
    }
    return true;
  }
}

function setRateLimitHeaders(res: FastifyReply, decision: RateLimitDecision): void {
  res.header('RateLimit-Limit', String(decision.limit));
  res.header('RateLimit-Remaining', String(decision.remaining));
  res.header('RateLimit-Reset', String(decision.resetSeconds));
  if (!decision.allowed) res.header('Retry-After', String(decision.retryAfterSeconds));
}
