import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, TenantRestoredV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { toTenantStateView, type TenantStateView } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import type { TenantLifecycleCommand } from '../../tenant-lifecycle.command';

/**
 * Restores a deleted tenant within its grace period, to the status it had (a tenant suspended
 * before its deletion comes back suspended). After the grace period: 410 `tenant_purged`.
 * Restoring a tenant that is not deleted changes nothing.
 */
@Injectable()
export class RestoreTenantUseCase {
  constructor(
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  execute(command: TenantLifecycleCommand): Promise<TenantStateView> {
    return this.changes.run(command.tenantId, async (change) => {
      if (
        change.state.purgedAt ||
        (change.state.status === 'deleted' && (await this.states.graceOver(change.tx, command.tenantId)))
      ) {
        throw new DomainException(ErrorCode.TenantPurged, 'The grace period is over: the tenant cannot be restored');
      }
      if (change.state.status !== 'deleted') return toTenantStateView(change.state);
      const state = await this.states.restore(change.tx, command.tenantId);
      const status = state.status === 'suspended' ? 'suspended' : 'active';
      await change.audit({ action: 'restored', actor: command.actor, reason: command.reason, details: { status } });
      await change.emit(TenantRestoredV1, { tenantId: state.id, status, restoredAt: state.updatedAt.toISOString() });
      return toTenantStateView(state);
    });
  }
}
