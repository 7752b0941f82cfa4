import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId, DATA_SOURCE } from '@parley/tenancy';

/** How long a replica shows a tenant's old name after a rename. */
export const TENANT_NAME_CACHE_TTL_MS = 30_000;
const CACHE_MAX_TENANTS = 10_000;

/**
 * `{{tenant.name}}`: the tenant's display name from `control.tenants` (the tenant service owns and
 * writes it). One indexed read per tenant and TTL, shared by concurrent callers.
 */
@Injectable()
export class TenantNameReader {
  private readonly cache = new Map<string, { name: Promise<string>; expiresAt: number }>();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  nameOf(tenantId: string): Promise<string> {
    assertTenantId(tenantId);
    const now = Date.now();
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > now) return cached.name;
    const name = this.read(tenantId);
    this.cache.delete(tenantId); // re-inserted last: the map's order is its age
    if (this.cache.size >= CACHE_MAX_TENANTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(tenantId, { name, expiresAt: now + TENANT_NAME_CACHE_TTL_MS });
    // A failed read is not kept: the next call tries again.
    name.catch(() => {
      if (this.cache.get(tenantId)?.name === name) this.cache.delete(tenantId);
    });
    return name;
  }

  private async read(tenantId: string): Promise<string> {
    const rows = await this.dataSource.query<{ name: string }[]>(`SELECT name FROM control.tenants WHERE id = $1`, [
      tenantId,
    ]);
    const row = rows[0];
    if (!row) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return row.name;
  }
}
