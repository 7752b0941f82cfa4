import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, TenantDeletedV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { toTenantStateView, type TenantStateView } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import type { TenantLifecycleCommand } from '../../tenant-lifecycle.command';

/**
 * Deletes a tenant with a grace period: status `deleted` now, its schema dropped by the purge job
 * after TENANT_DELETION_GRACE_SECONDS; restorable until then. Deleting it again changes nothing.
 * A self-hosted deployment keeps its one tenant.
 */
@Injectable()
export class DeleteTenantUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  execute(command: TenantLifecycleCommand): Promise<TenantStateView> {
    if (this.config.deploymentMode === 'self-hosted') {
      throw new DomainException(ErrorCode.Conflict, 'A self-hosted deployment keeps its one tenant');
    }
    const graceSeconds = this.config.tenant?.deletionGraceSeconds ?? 0;
    return this.changes.run(command.tenantId, async (change) => {
      if (change.state.purgedAt) throw new DomainException(ErrorCode.TenantPurged, 'The tenant was already purged');
      if (change.state.status === 'deleted') return toTenantStateView(change.state);
      const state = await this.states.markDeleted(change.tx, command.tenantId, graceSeconds);
      await change.audit({
        action: 'deleted',
        actor: command.actor,
        reason: command.reason,
        details: { purgeAfter: state.purgeAfter?.toISOString(), previousStatus: change.state.status },
      });
      await change.emit(TenantDeletedV1, {
        tenantId: state.id,
        deletedAt: state.updatedAt.toISOString(),
        purgeAfter: (state.purgeAfter ?? state.updatedAt).toISOString(),
      });
      return toTenantStateView(state);
    });
  }
}
