import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId } from '@parley/tenancy';
import { assertNotDeleted } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import { FeatureFlags, type TenantFlags } from '../../feature-flags';

/** A tenant's effective flags (global defaults, its overrides on top). */
@Injectable()
export class GetTenantFeaturesUseCase {
  constructor(
    private readonly states: TenantStateRepository,
    private readonly flags: FeatureFlags,
  ) {}

  async execute(tenantId: string): Promise<TenantFlags> {
    const id = assertTenantId(tenantId);
    const state = await this.states.find(id);
    if (!state) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    assertNotDeleted(state);
    return this.flags.forTenant(id);
  }
}
