import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import type { Sql } from './tenant-state.repository';

export type TenantAuditAction =
  'created' | 'plan_changed' | 'feature_changed' | 'suspended' | 'resumed' | 'deleted' | 'restored' | 'purged';

export interface TenantAuditEntry {
  action: TenantAuditAction;
  actor: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface TenantAuditView extends Required<TenantAuditEntry> {
  /** A bigint, as a string (node-postgres reads int8 as text). */
  id: string;
  tenantId: string;
  at: string;
}

/**
 * `control.tenant_audit`: who changed what about a tenant, written in the transaction of the change.
 * The rows outlive the tenant's schema (a purge keeps them), so the control plane keeps the trail.
 */
@Injectable()
export class TenantAuditRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async add(tx: Sql, tenantId: string, entry: TenantAuditEntry): Promise<void> {
    await tx.query(
      `INSERT INTO control.tenant_audit (tenant_id, action, actor, reason, details) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [tenantId, entry.action, entry.actor, entry.reason ?? null, JSON.stringify(entry.details ?? {})],
    );
  }

  /** Oldest first, in pages: `afterId` is the last id of the previous page. */
  async list(tenantId: string, limit: number, afterId: number): Promise<TenantAuditView[]> {
    const rows = await this.dataSource.query<(Omit<TenantAuditView, 'at'> & { at: Date })[]>(
      `SELECT id, tenant_id AS "tenantId", action, actor, reason, details, at
       FROM control.tenant_audit WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  }
}
