import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { PurgeDeletedTenantsUseCase } from './usecases/purge-deleted-tenants/purge-deleted-tenants.usecase';

/**
 * Runs the purge every TENANT_PURGE_INTERVAL_MS (0: never, for deployments that run it elsewhere).
 * Each replica runs the timer; the purge's advisory lock lets one of them work at a time.
 */
@Injectable()
export class TenantPurgeJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly purge: PurgeDeletedTenantsUseCase,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.tenant?.purgeIntervalMs ?? 0;
    if (interval <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.purge
        .execute()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Tenant purge pass failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, interval);
        });
    };
    this.timer = setTimeout(tick, interval);
  }

  /** Before the pool closes: no new pass, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
