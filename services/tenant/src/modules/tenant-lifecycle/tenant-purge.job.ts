import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { PurgeDeletedTenantsUseCase } from './usecases/purge-deleted-tenants/purge-deleted-tenants.usecase';

/**
 * Runs the purge every TENANT_PURGE_INTERVAL_MS (0: never, for deployments that run it elsewhere).
 * Each replica runs the timer; the purge's advisory lock lets one of them work at a time.
 */
@Injectable()
export class TenantPurgeJob extends RepeatingPass {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
    private readonly purge: PurgeDeletedTenantsUseCase,
  ) {
    super(config.tenant?.purgeIntervalMs ?? 0, logger, 'Tenant purge pass failed; will retry');
  }

  protected pass(): Promise<unknown> {
    return this.purge.execute();
  }
}
