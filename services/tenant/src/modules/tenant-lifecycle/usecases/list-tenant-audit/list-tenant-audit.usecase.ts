import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId } from '@parley/tenancy';
import { TenantAuditRepository, type TenantAuditView } from '../../../tenant-state/tenant-audit.repository';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';

/** A tenant's audit trail, oldest first; still there after the tenant was deleted and purged. */
@Injectable()
export class ListTenantAuditUseCase {
  constructor(
    private readonly states: TenantStateRepository,
    private readonly audit: TenantAuditRepository,
  ) {}

  async execute(tenantId: string, limit: number, after: number): Promise<{ items: TenantAuditView[] }> {
    const id = assertTenantId(tenantId);
    if (!(await this.states.find(id))) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return { items: await this.audit.list(id, limit, after) };
  }
}
