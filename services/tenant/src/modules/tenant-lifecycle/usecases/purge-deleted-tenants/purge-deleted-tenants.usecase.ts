import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { TenantPurgedV1 } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { assertTenantId, DATA_SOURCE, tenantSchemaName } from '@parley/tenancy';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';

/** Held (session-level) by the one replica that purges; the others skip the pass. */
const PURGE_LOCK = 7_134_003;

export interface PurgeReport {
  /** False when another replica held the purge lock. */
  ran: boolean;
  purged: string[];
  failed: { tenantId: string; error: string }[];
}

/**
 * Drops the schemas of deleted tenants whose grace period is over, at most TENANT_PURGE_BATCH_SIZE
 * per pass: one transaction per tenant (row locked, state re-checked, so a restore that won the
 * race is respected), `DROP SCHEMA … CASCADE`, the tenant's ledger and flag rows removed,
 * `purged_at` set, an audit row and `tenant.purged.v1`. The control-plane row and its audit trail stay.
 */
@Injectable()
export class PurgeDeletedTenantsUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  async execute(): Promise<PurgeReport> {
    const report: PurgeReport = { ran: false, purged: [], failed: [] };
    if (!this.dataSource.isInitialized) return report;
    const lockHolder = this.dataSource.createQueryRunner();
    await lockHolder.connect();
    try {
      const [lock] = (await lockHolder.query('SELECT pg_try_advisory_lock($1) AS locked', [PURGE_LOCK])) as {
        locked: boolean;
      }[];
      if (!lock?.locked) return report;
      report.ran = true;
      try {
        for (const id of await this.due(lockHolder)) await this.purgeOne(id, report);
      } finally {
        await lockHolder.query('SELECT pg_advisory_unlock($1)', [PURGE_LOCK]);
      }
    } finally {
      await lockHolder.release();
    }
    if (report.purged.length || report.failed.length) this.logger.info(report, 'Tenant purge pass done');
    return report;
  }

  private async due(sql: { query(sql: string, parameters: unknown[]): Promise<unknown> }): Promise<string[]> {
    const rows = (await sql.query(
      `SELECT id FROM control.tenants WHERE status = 'deleted' AND purged_at IS NULL AND purge_after <= now()
       ORDER BY purge_after, id LIMIT $1`,
      [this.config.tenant?.purgeBatchSize ?? 10],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  private async purgeOne(id: string, report: PurgeReport): Promise<void> {
    try {
      const tenantId = assertTenantId(id);
      const schemaName = tenantSchemaName(tenantId);
      const purged = await this.changes.run(tenantId, async (change) => {
        const { state, tx } = change;
        if (state.status !== 'deleted' || state.purgedAt || !(await this.states.graceOver(tx, tenantId))) return false;
        await tx.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
        await tx.query('DELETE FROM control.tenant_migrations WHERE tenant_id = $1', [tenantId]);
        await tx.query('DELETE FROM control.tenant_features WHERE tenant_id = $1', [tenantId]);
        const after = await this.states.markPurged(tx, tenantId);
        await change.audit({ action: 'purged', actor: 'system:purge', details: { schemaName } });
        await change.emit(TenantPurgedV1, { tenantId, schemaName, purgedAt: after.updatedAt.toISOString() });
        return true;
      });
      if (purged) report.purged.push(tenantId);
    } catch (error) {
      // One tenant's failure (a lock timeout, say) does not stop the others; the next pass retries it.
      report.failed.push({ tenantId: id, error: error instanceof Error ? error.message : String(error) });
      this.logger.error({ err: error, tenantId: id }, 'Tenant purge failed; retried next pass');
    }
  }
}
