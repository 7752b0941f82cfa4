import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, TenantFeaturesChangedV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { assertWritable } from '../../../tenant-state/tenant-state';
import { FeatureFlags, type TenantFlags } from '../../feature-flags';
import { FeaturesRepository } from '../../features.repository';
import type { SetTenantFeatureCommand } from './set-tenant-feature.command';

/**
 * Sets or clears a tenant's override of a declared flag: the row, the audit entry and
 * `tenant.features-changed.v1` (with the tenant's whole effective set) in one transaction. Refused
 * for a suspended (403) or deleted tenant; an unchanged override changes nothing.
 */
@Injectable()
export class SetTenantFeatureUseCase {
  constructor(
    private readonly changes: TenantChangeRunner,
    private readonly flags: FeatureFlags,
    private readonly overrides: FeaturesRepository,
  ) {}

  execute(command: SetTenantFeatureCommand): Promise<TenantFlags> {
    if (!this.flags.isDeclared(command.name)) {
      throw new DomainException(ErrorCode.FeatureNotFound, `No feature flag "${command.name}" is declared`, {
        declared: Object.keys(this.flags.globals).sort(),
      });
    }
    return this.changes.run(command.tenantId, async (change) => {
      assertWritable(change.state);
      const before = await this.flags.forTenant(command.tenantId, change.tx);
      const previous = before.overrides[command.name] ?? null;
      if (previous === command.enabled) return before;
      if (command.enabled === null) await this.overrides.clear(change.tx, command.tenantId, command.name);
      else await this.overrides.set(change.tx, command.tenantId, command.name, command.enabled);
      const after = await this.flags.forTenant(command.tenantId, change.tx);
      await change.audit({
        action: 'feature_changed',
        actor: command.actor,
        details: { name: command.name, override: command.enabled, previous },
      });
      await change.emit(TenantFeaturesChangedV1, {
        tenantId: command.tenantId,
        name: command.name,
        override: command.enabled,
        flags: after.flags,
        changedAt: new Date().toISOString(),
      });
      return after;
    });
  }
}
