import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId } from '../context/schema-name';
import { DATA_SOURCE } from '../database/database.tokens';
import type { PlanLimits } from './plan.entity';

export interface TenantPlan {
  planId: 'free' | 'pro' | 'enterprise';
  limits: PlanLimits;
}

/** How long a replica may serve a tenant's plan from memory after reading it. */
export const PLAN_CACHE_TTL_MS = 5_000;

/**
 * A tenant's plan and its limits, read from the control plane (`control.tenants` joined with
 * `control.plans`, which the tenant service owns and writes). Every service that enforces a quota
 * reads it here; a replica keeps an answer for at most PLAN_CACHE_TTL_MS, and `forget` drops it at
 * once (on `tenant.plan-changed.v1`).
 */
@Injectable()
export class PlanLimitsReader {
  private readonly cache = new Map<string, { value: TenantPlan; expiresAt: number }>();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async planOf(tenantId: string): Promise<TenantPlan> {
    assertTenantId(tenantId);
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const rows: { plan_id: TenantPlan['planId']; limits: PlanLimits }[] = await this.dataSource.query(
      `SELECT t.plan_id, p.limits FROM control.tenants t JOIN control.plans p ON p.id = t.plan_id WHERE t.id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    const value: TenantPlan = { planId: row.plan_id, limits: row.limits };
    this.cache.set(tenantId, { value, expiresAt: Date.now() + PLAN_CACHE_TTL_MS });
    return value;
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}
