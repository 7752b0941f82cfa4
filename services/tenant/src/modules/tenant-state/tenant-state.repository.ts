import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import type { TenantState } from './tenant-state';

/** A transaction to run SQL in: a TypeORM EntityManager or QueryRunner, or a TenantScope. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

const COLUMNS = `id, slug, name, plan_id AS "planId", status, schema_name AS "schemaName",
  suspended_at AS "suspendedAt", suspension_reason AS "suspensionReason", deleted_at AS "deletedAt",
  purge_after AS "purgeAfter", purged_at AS "purgedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * The lifecycle columns of `control.tenants` (suspension, deletion, purge). Every change locks the
 * row first (`FOR UPDATE`), and writes to a tenant's data hold it `FOR SHARE`, so a suspension,
 * deletion or purge never interleaves with a write it should have refused.
 */
@Injectable()
export class TenantStateRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async find(tenantId: string): Promise<TenantState | null> {
    const rows = await this.dataSource.query<TenantState[]>(`SELECT ${COLUMNS} FROM control.tenants WHERE id = $1`, [
      tenantId,
    ]);
    return rows[0] ?? null;
  }

  /** The tenant's row, locked for the rest of the transaction; tenant_not_found when there is none. */
  async lock(tx: Sql, tenantId: string, mode: 'update' | 'share'): Promise<TenantState> {
    const rows = (await tx.query(
      `SELECT ${COLUMNS} FROM control.tenants WHERE id = $1 FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`,
      [tenantId],
    )) as TenantState[];
    const state = rows[0];
    if (!state) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return state;
  }

  setPlan(tx: Sql, tenantId: string, planId: string): Promise<TenantState> {
    return this.update(tx, tenantId, 'plan_id = $2', [planId]);
  }

  suspend(tx: Sql, tenantId: string, reason: string): Promise<TenantState> {
    return this.update(tx, tenantId, `status = 'suspended', suspended_at = now(), suspension_reason = $2`, [reason]);
  }

  resume(tx: Sql, tenantId: string): Promise<TenantState> {
    return this.update(tx, tenantId, `status = 'active', suspended_at = NULL, suspension_reason = NULL`);
  }

  /** Deleted now, purgeable after the grace period. Suspension fields stay, so a restore brings them back. */
  markDeleted(tx: Sql, tenantId: string, graceSeconds: number): Promise<TenantState> {
    return this.update(
      tx,
      tenantId,
      `status = 'deleted', deleted_at = now(), purge_after = now() + make_interval(secs => $2)`,
      [graceSeconds],
    );
  }

  restore(tx: Sql, tenantId: string): Promise<TenantState> {
    return this.update(
      tx,
      tenantId,
      `status = CASE WHEN suspended_at IS NULL THEN 'active' ELSE 'suspended' END, deleted_at = NULL, purge_after = NULL`,
    );
  }

  markPurged(tx: Sql, tenantId: string): Promise<TenantState> {
    return this.update(tx, tenantId, 'purged_at = now(), schema_version = NULL');
  }

  /** Is the grace period of this (deleted) tenant over, by the database clock? */
  async graceOver(tx: Sql, tenantId: string): Promise<boolean> {
    const rows = (await tx.query(`SELECT purge_after <= now() AS over FROM control.tenants WHERE id = $1`, [
      tenantId,
    ])) as { over: boolean | null }[];
    return rows[0]?.over === true;
  }

  private async update(tx: Sql, tenantId: string, set: string, parameters: unknown[] = []): Promise<TenantState> {
    const rows = (await tx.query(
      `UPDATE control.tenants SET ${set}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [tenantId, ...parameters],
    )) as [TenantState[], number] | TenantState[];
    const updated = (Array.isArray(rows[0]) ? rows[0] : rows) as TenantState[];
    const state = updated[0];
    if (!state) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return state;
  }
}
