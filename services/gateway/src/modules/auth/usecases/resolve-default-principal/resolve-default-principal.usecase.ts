import { Injectable } from '@nestjs/common';
import { BusRequester } from '@parley/bus';
import { TenantGetDefaultV1, type ReplyOf } from '@parley/contracts';
import type { Principal } from '../../principal';

/** How long the default tenant (id and plan) is kept before it is asked for again. */
const CACHE_MS = 60_000;

/**
 * Self-hosted with AUTH_REQUIRED=false: a request without credentials acts as the owner of the one
 * default tenant, which the tenant service names (`tenant.get-default.v1`). Cached, and concurrent
 * first requests share one question.
 */
@Injectable()
export class ResolveDefaultPrincipalUseCase {
  private cached: { principal: Principal; until: number } | undefined;
  private inFlight: Promise<Principal> | undefined;

  constructor(private readonly bus: BusRequester) {}

  async execute(): Promise<Principal> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.principal;
    this.inFlight ??= this.bus
      .request(TenantGetDefaultV1, {})
      .then((tenant) => {
        const principal = toOwner(tenant);
        this.cached = { principal, until: Date.now() + CACHE_MS };
        return principal;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

function toOwner(tenant: ReplyOf<typeof TenantGetDefaultV1>): Principal {
  return {
    kind: 'anonymous',
    tenantId: tenant.tenantId,
    userId: 'anonymous',
    role: 'owner',
    plan: tenant.plan,
    sessionId: null,
  };
}
