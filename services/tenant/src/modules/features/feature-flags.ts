import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, type FeaturesConfig } from '@parley/config';
import { DATA_SOURCE } from '@parley/tenancy';
import type { Sql } from '../tenant-state/tenant-state.repository';
import { FeaturesRepository } from './features.repository';

export interface TenantFlags {
  tenantId: string;
  /** Every declared flag, effective for this tenant. */
  flags: Record<string, boolean>;
  /** The tenant's own overrides of declared flags. */
  overrides: Record<string, boolean>;
}

/**
 * The effective flags: every flag declared globally (`FEATURE_<NAME>`), with the tenant's overrides
 * on top. Overrides of flags no longer declared are ignored: a flag exists only while it is declared.
 */
export function effectiveFlags(
  globals: FeaturesConfig,
  overrides: Record<string, boolean>,
): Pick<TenantFlags, 'flags' | 'overrides'> {
  const flags: Record<string, boolean> = {};
  const applied: Record<string, boolean> = {};
  for (const [name, enabled] of Object.entries(globals).sort(([a], [b]) => a.localeCompare(b))) {
    const override = overrides[name];
    flags[name] = override ?? enabled;
    if (override !== undefined) applied[name] = override;
  }
  return { flags, overrides: applied };
}

/**
 * Reads feature flags in the tenant service: global defaults from configuration, per-tenant
 * overrides from `control.tenant_features`. An unknown flag is off (fails closed).
 */
@Injectable()
export class FeatureFlags {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly overrides: FeaturesRepository,
  ) {}

  get globals(): FeaturesConfig {
    return this.config.features ?? {};
  }

  isDeclared(name: string): boolean {
    return Object.hasOwn(this.globals, name);
  }

  /** `sql`: read inside a transaction (to see its own changes); the pool otherwise. */
  async forTenant(tenantId: string, sql: Sql = this.dataSource): Promise<TenantFlags> {
    return { tenantId, ...effectiveFlags(this.globals, await this.overrides.overrides(sql, tenantId)) };
  }

  async isEnabled(tenantId: string, name: string): Promise<boolean> {
    return (await this.forTenant(tenantId)).flags[name] ?? false;
  }
}
