import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type GatewayConfig } from '@parley/config';
import { type ApiKeyScope, DomainException, ErrorCode } from '@parley/contracts';
import type { Principal } from '../auth/principal';
import { scopeRefusal } from '../auth/principal-scope';
import { quotaForPrincipal } from '../rate-limit/rate-limit.policy';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { tenantStatusRefusal } from '../tenant-status/tenant-status.guard';
import { TenantStatusStore } from '../tenant-status/tenant-status.store';

/**
 * What the HTTP guards decide for a request, decided for one chat frame on a socket: the API key
 * has the scope, the tenant is still active (it may have been suspended since the upgrade), and the
 * frame fits the principal's per-plan rate limits — the same buckets as its HTTP requests.
 */
@Injectable()
export class ChatAdmission {
  private readonly limits: GatewayConfig['rateLimit'];

  constructor(
    private readonly limiter: RateLimiter,
    private readonly tenantStatus: TenantStatusStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (!config.gateway) throw new Error('ChatAdmission needs the gateway configuration');
    this.limits = config.gateway.rateLimit;
  }

  /** Why this frame is refused, or null when it may go on. */
  async refusal(principal: Principal, scope: ApiKeyScope): Promise<DomainException | null> {
    const scoped = scopeRefusal(principal, scope);
    if (scoped) return scoped;
    const status = tenantStatusRefusal(await this.tenantStatus.get(principal.tenantId));
    if (status) return status;
    const decision = await this.limiter.consume(quotaForPrincipal(principal, this.limits));
    if (decision.allowed) return null;
    return new DomainException(
      ErrorCode.RateLimited,
      `Rate limit exceeded: retry after ${decision.retryAfterSeconds} s`,
      { retryAfterSeconds: decision.retryAfterSeconds },
    );
  }
}
