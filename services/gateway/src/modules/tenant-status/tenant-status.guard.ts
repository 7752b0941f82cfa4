import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainException, ErrorCode } from '@parley/contracts';
import { principalOf } from '../auth/principal';
import { TenantStatusStore } from './tenant-status.store';

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
    const principal = principalOf(context.switchToHttp().getRequest<Request>());
    if (!principal) return true;
    const status = await this.store.get(principal.tenantId);
    switch (status) {
      case 'active':
        return true;
      case 'suspended':
        throw new DomainException(ErrorCode.TenantSuspended, 'This organisation is suspended');
      case 'deleted':
        throw new DomainException(ErrorCode.TenantDeleted, 'This organisation has been deleted');
      case 'purged':
        throw new DomainException(ErrorCode.TenantPurged, 'This organisation no longer exists');
    }
  }
}
