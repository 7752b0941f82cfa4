import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@parley/contracts';
import { principalOf } from '../auth/principal';
import { TenantStatusStore, type TenantStatus } from './tenant-status.store';

/**
 * Runs after authentication and before rate limits and forwarding: a request whose verified
 * tenant is suspended is 403 `tenant_suspended`, deleted `tenant_deleted`, purged `tenant_purged`,
 * whatever the credential (access token or API key). Public routes have no tenant and pass.
 */
@Injectable()
export class TenantStatusGuard implements CanActivate {
  constructor(private readonly store: TenantStatusStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (!principal) return true;
    const refusal = tenantStatusRefusal(await this.store.get(principal.tenantId));
    if (refusal) throw refusal;
    return true;
  }
}

/** Why a tenant in this status is refused (the same answer over HTTP and at the WebSocket upgrade), or null if active. */
export function tenantStatusRefusal(status: TenantStatus): DomainException | null {
  switch (status) {
    case 'active':
      return null;
    case 'suspended':
      return new DomainException(ErrorCode.TenantSuspended, 'This organisation is suspended');
    case 'deleted':
      return new DomainException(ErrorCode.TenantDeleted, 'This organisation has been deleted');
    case 'purged':
      return new DomainException(ErrorCode.TenantPurged, 'This organisation no longer exists');
  }
}
