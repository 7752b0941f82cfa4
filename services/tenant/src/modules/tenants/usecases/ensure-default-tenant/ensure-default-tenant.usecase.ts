import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { CreateTenantCommand } from '../create-tenant/create-tenant.command';
import { CreateTenantUseCase } from '../create-tenant/create-tenant.usecase';
import { TenantsRepository } from '../../tenants.repository';

/** Self-hosted mode: the one default tenant exists after the first start. Idempotent. */
@Injectable()
export class EnsureDefaultTenantUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsRepository,
    private readonly createTenant: CreateTenantUseCase,
  ) {}

  async execute(): Promise<'created' | 'exists' | 'not-applicable'> {
    if (this.config.deploymentMode !== 'self-hosted' || !this.config.tenant) return 'not-applicable';
    if ((await this.tenants.count()) > 0) return 'exists';
    try {
      await this.createTenant.execute(
        CreateTenantCommand.create({
          name: this.config.tenant.defaultTenantName,
          slug: this.config.tenant.defaultTenantSlug,
          plan: 'enterprise',
        }),
      );
      return 'created';
    } catch (error) {
      // Another replica won the race.
      if (error instanceof DomainException && error.code === ErrorCode.TenantLimitReached) return 'exists';
      throw error;
    }
  }
}
