import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { SyncPlansUseCase } from '../../../plans/usecases/sync-plans/sync-plans.usecase';
import { EnsureDefaultTenantUseCase } from '../../../tenants/usecases/ensure-default-tenant/ensure-default-tenant.usecase';
import { MigrateAllUseCase } from '../migrate-all/migrate-all.usecase';

/**
 * At start: migrate (unless MIGRATE_ON_START=false, as in Kubernetes where a Helm hook Job does
 * it), write the configured plan limits into `control.plans`, then make sure the self-hosted
 * default tenant exists.
 */
@Injectable()
export class BootstrapTenancyUseCase implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly migrateAll: MigrateAllUseCase,
    private readonly ensureDefaultTenant: EnsureDefaultTenantUseCase,
    private readonly syncPlans: SyncPlansUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.execute();
  }

  async execute(): Promise<void> {
    if (this.config.tenant?.migrateOnStart) {
      const { tenants } = await this.migrateAll.execute();
      if (tenants.failed > 0) this.logger.error({ failed: tenants.failed }, 'Some tenant schemas failed to migrate');
    }
    await this.syncPlans.execute();
    const outcome = await this.ensureDefaultTenant.execute();
    if (outcome === 'created') this.logger.info('Self-hosted default tenant created');
  }
}
