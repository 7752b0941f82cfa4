import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@parley/contracts';
import { principalOf } from '../auth/principal';
import type { RateLimitDecision } from './rate-limit.policy';
import { RateLimiter } from './rate-limiter';
import { countedDecision, RequestQuotas } from './request-quotas';

/**
 * Counts every public-API request against its quota (RequestQuotas). An authenticated request was
 * counted by the auth guard already, in the same Redis round trip as its credential checks (it runs
 * after the auth and tenant-status guards): this guard answers with that decision; a public route
 * is counted here. Sets the RateLimit-* headers on every answer, and Retry-After with a 429
 * `rate_limited` when refused.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly quotas: RequestQuotas,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    let decision = countedDecision(req);
    if (!decision) {
      const quota = this.quotas.of(context, principalOf(req));
      if (!quota) return true;
      decision = await this.limiter.consume(quota);
    }
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
