import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';
import { PruneAuditLogUseCase } from './usecases/prune-audit-log/prune-audit-log.usecase';

/**
 * The audit retention pass: every AUDIT_RETENTION_INTERVAL_MS (after the last pass ended), each
 * tenant with a schema in its own tenant context. A failing tenant is logged and the others go on;
 * on shutdown no new pass starts and the one under way finishes.
 */
@Injectable()
export class AuditRetentionJob extends RepeatingPass {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly prune: PruneAuditLogUseCase,
    @Inject(LOGGER) logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(config.analytics?.audit.retentionIntervalMs ?? 0, logger, 'Audit retention pass failed');
  }

  protected pass(): Promise<unknown> {
    return this.runOnce();
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
}
