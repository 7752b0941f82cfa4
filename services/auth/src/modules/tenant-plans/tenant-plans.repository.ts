import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { PlanLimits } from '@parley/tenancy';

/** First key of the two-key advisory lock that serialises a tenant's limit-counted changes. */
const TENANT_LIMITS_LOCK = 7_134_103;

/**
 * The plan limits of a tenant, read from `control.tenants` and `control.plans` (owned by the tenant
 * service; read only here), and the lock under which members and API keys are counted against them.
 */
@Injectable()
export class TenantPlansRepository {
  /** Held until the transaction ends: concurrent creations cannot both pass a limit. */
  async lockTenant(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [TENANT_LIMITS_LOCK, tenantId]);
  }

  async limitsOf(manager: EntityManager, tenantId: string): Promise<PlanLimits> {
    const rows = await manager.query<{ limits: PlanLimits }[]>(
      `SELECT p.limits FROM control.tenants t JOIN control.plans p ON p.id = t.plan_id WHERE t.id = $1`,
      [tenantId],
    );
    const limits = rows[0]?.limits;
    if (!limits) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return limits;
  }
}
