import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';
import { PruneAuditLogUseCase } from './usecases/prune-audit-log/prune-audit-log.usecase';

/**
 * The audit retention pass: every AUDIT_RETENTION_INTERVAL_MS (after the last pass ended), each
 * tenant with a schema in its own tenant context. A failing tenant is logged and the others go on;
 * on shutdown no new pass starts and the one under way finishes.
 */
@Injectable()
export class AuditRetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly prune: PruneAuditLogUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = config.analytics?.audit.retentionIntervalMs ?? 0;
  }

  /** One pass over every tenant; how many entries went per tenant (those with any). */
  async runOnce(now: Date = new Date()): Promise<Record<string, number>> {
    const tenants = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM control.tenants WHERE purged_at IS NULL ORDER BY id',
    );
    const removed: Record<string, number> = {};
    for (const { id } of tenants) {
      try {
        const n = await TenantContext.run(id, () => this.prune.execute(now));
        if (n > 0) removed[id] = n;
      } catch (error) {
        this.logger.warn({ err: error, tenantId: id }, 'Audit retention failed for a tenant; the next pass retries');
      }
    }
    return removed;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Audit retention pass failed'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
