import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, type GatewayConfig } from '@parley/config';
import type { RateLimitClass } from '@parley/contracts';
import type { Principal } from '../auth/principal';
import { quotaForClient, quotaForPrincipal, type Quota, type RateLimitDecision } from './rate-limit.policy';
import { RATE_LIMIT_CLASS } from './rate-limit-class';

const COUNTED = Symbol('parley:rate-limit-decision');

/**
 * What a request counts against: every public-API request (`/api/...`), by its principal's tenant
 * and principal when there is one, else by the client address; a route of the route table counts
 * by its declared class. Other paths (probes, docs, the web app) are not counted.
 */
@Injectable()
export class RequestQuotas {
  private readonly limits: GatewayConfig['rateLimit'];

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (!config.gateway) throw new Error('RequestQuotas needs the gateway configuration');
    this.limits = config.gateway.rateLimit;
  }

  of(context: ExecutionContext, principal: Principal | undefined): Quota | null {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!req.url.startsWith('/api/')) return null;
    const declared = this.reflector.get<RateLimitClass | undefined>(RATE_LIMIT_CLASS, context.getHandler());
    const by = declared === 'client' ? undefined : principal;
    return by ? quotaForPrincipal(by, this.limits) : quotaForClient(req.ip, this.limits);
  }
}

/** The auth guard counted the request already, in its one Redis round trip: the rate-limit guard answers with this. */
export function markCounted(req: FastifyRequest, decision: RateLimitDecision): void {
  (req as unknown as Record<symbol, RateLimitDecision>)[COUNTED] = decision;
}

export function countedDecision(req: FastifyRequest): RateLimitDecision | undefined {
  return (req as unknown as Record<symbol, RateLimitDecision | undefined>)[COUNTED];
}
