import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId } from '@parley/tenancy';
import { TenantsRepository } from '../../tenants.repository';
import { toTenantView, type TenantView } from '../../tenant.mapper';

@Injectable()
export class GetTenantUseCase {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute(tenantId: string): Promise<TenantView> {
    const tenant = await this.tenants.findById(assertTenantId(tenantId));
    if (!tenant) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return toTenantView(tenant);
  }
}
