import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, EveryTenantPass, TenantContext } from '@parley/tenancy';
import { PruneAuditLogUseCase } from './usecases/prune-audit-log/prune-audit-log.usecase';

/**
 * The audit retention pass: every AUDIT_RETENTION_INTERVAL_MS (after the last pass ended), each
 * tenant with a schema in its own tenant context drops the entries older than its retention.
 */
@Injectable()
export class AuditRetentionJob extends EveryTenantPass {
  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    private readonly prune: PruneAuditLogUseCase,
    @Inject(LOGGER) logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(dataSource, config.analytics?.audit.retentionIntervalMs ?? 0, logger, 'Audit retention');
  }

  protected forTenant(tenantId: string, now: Date): Promise<number> {
    return TenantContext.run(tenantId, () => this.prune.execute(now));
  }
}
