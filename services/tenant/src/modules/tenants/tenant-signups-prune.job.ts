import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { PruneTenantSignupsUseCase } from './usecases/prune-tenant-signups/prune-tenant-signups.usecase';

/**
 * Prunes `control.tenant_signups` every TENANT_PURGE_INTERVAL_MS (0: never), like the tenant purge.
 * Replicas may run it at once: each deletes rows the others have not (the statement is idempotent).
 */
@Injectable()
export class TenantSignupsPruneJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly prune: PruneTenantSignupsUseCase,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.tenant?.purgeIntervalMs ?? 0;
    if (interval <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.prune
        .execute()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Sign-up rows prune failed; will retry'))
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
