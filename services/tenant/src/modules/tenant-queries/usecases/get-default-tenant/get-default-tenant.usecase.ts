import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { toTenantView, type TenantView } from '../../../tenants/tenant.mapper';
import { TenantsRepository } from '../../../tenants/tenants.repository';

/**
 * The self-hosted default tenant: a self-hosted deployment holds exactly one tenant, so it is that
 * one (whatever its slug). Cloud mode has no default tenant.
 */
@Injectable()
export class GetDefaultTenantUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsRepository,
  ) {}

  async execute(): Promise<TenantView> {
    if (this.config.deploymentMode !== 'self-hosted') {
      throw new DomainException(ErrorCode.TenantNotFound, 'There is no default tenant in cloud mode');
    }
    const [rows] = await this.tenants.list(1, 0);
    const tenant = rows[0];
    if (!tenant) throw new DomainException(ErrorCode.TenantNotFound, 'The default tenant does not exist yet');
    return toTenantView(tenant);
  }
}
