import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';
import { toTenantView, type TenantView } from '../../../tenants/tenant.mapper';
import { TenantsRepository } from '../../../tenants/tenants.repository';

/**
 * The caller's own tenant. The tenant comes from the context (restored from the `x-tenant-id`
 * header the gateway's verified credentials set), never from input, and its absence fails closed.
 */
@Injectable()
export class GetCurrentTenantUseCase {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute(): Promise<TenantView> {
    const tenantId = TenantContext.require();
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return toTenantView(tenant);
  }
}
