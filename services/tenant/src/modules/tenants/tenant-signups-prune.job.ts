import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { PruneTenantSignupsUseCase } from './usecases/prune-tenant-signups/prune-tenant-signups.usecase';

/**
 * Prunes `control.tenant_signups` every TENANT_PURGE_INTERVAL_MS (0: never), like the tenant purge.
 * Replicas may run it at once: each deletes rows the others have not (the statement is idempotent).
 */
@Injectable()
export class TenantSignupsPruneJob extends RepeatingPass {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
    private readonly prune: PruneTenantSignupsUseCase,
  ) {
    super(config.tenant?.purgeIntervalMs ?? 0, logger, 'Sign-up rows prune failed; will retry');
  }

  protected pass(): Promise<unknown> {
    return this.prune.execute();
  }
}
