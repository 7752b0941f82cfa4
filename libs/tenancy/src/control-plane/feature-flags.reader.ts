import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, type FeaturesConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId } from '../context/schema-name';
import { DATA_SOURCE } from '../database/database.tokens';

/** How long a replica may serve a tenant's flags from memory after reading them. */
export const FEATURE_FLAGS_CACHE_TTL_MS = 5_000;
/** Tenants kept in memory at once; the least recently read leaves first. */
const CACHE_MAX_TENANTS = 10_000;

/**
 * The effective flags: every flag declared globally (`FEATURE_<NAME>`), with the tenant's overrides
 * on top. An override of a flag that is not declared is ignored: a flag exists only while declared.
 */
export function effectiveFeatureFlags(
  globals: FeaturesConfig,
  overrides: Readonly<Record<string, boolean>>,
): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  for (const [name, enabled] of Object.entries(globals).sort(([a], [b]) => a.localeCompare(b))) {
    flags[name] = Object.hasOwn(overrides, name) ? (overrides[name] as boolean) : enabled;
  }
  return flags;
}

/**
 * A tenant's feature flags, readable in every service: the global defaults from this service's
 * own configuration (`FEATURE_<NAME>`, the same values in every service), overridden by the
 * tenant's rows in `control.tenant_features` (which the tenant service owns and writes). A replica
 * keeps a tenant's flags for at most FEATURE_FLAGS_CACHE_TTL_MS — the documented staleness bound
 * after a change — and `forget` drops them at once (e.g. on `tenant.features-changed.v1`). An
 * undeclared flag is off (fails closed); an unknown tenant is `tenant_not_found`.
 */
@Injectable()
export class FeatureFlagsReader {
  private readonly cache = new Map<string, { value: Readonly<Record<string, boolean>>; expiresAt: number }>();
  private readonly globals: FeaturesConfig;

  constructor(
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'features'>,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {
    this.globals = config.features;
  }

  async isEnabled(tenantId: string, name: string): Promise<boolean> {
    const flags = await this.flagsFor(tenantId);
    return Object.hasOwn(flags, name) ? (flags[name] as boolean) : false;
  }

  /** Every declared flag, effective for this tenant (a copy: callers may change it). */
  async flagsFor(tenantId: string): Promise<Record<string, boolean>> {
    assertTenantId(tenantId);
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return { ...cached.value };
    // One row per override, or a single row with null name: the tenant exists without overrides.
    const rows: { name: string | null; enabled: boolean | null }[] = await this.dataSource.query(
      `SELECT f.name, f.enabled FROM control.tenants t
         LEFT JOIN control.tenant_features f ON f.tenant_id = t.id
        WHERE t.id = $1`,
      [tenantId],
    );
    if (rows.length === 0) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    const overrides: Record<string, boolean> = {};
    for (const row of rows) if (row.name !== null && row.enabled !== null) overrides[row.name] = row.enabled;
    const value = Object.freeze(effectiveFeatureFlags(this.globals, overrides));
    this.cache.delete(tenantId);
    if (this.cache.size >= CACHE_MAX_TENANTS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(tenantId, { value, expiresAt: Date.now() + FEATURE_FLAGS_CACHE_TTL_MS });
    return { ...value };
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}
