import { Injectable } from '@nestjs/common';
import { TenantSuspendedV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { assertNotDeleted, toTenantStateView, type TenantStateView } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import type { TenantLifecycleCommand } from '../../tenant-lifecycle.command';

/** Suspends a tenant: its requests get `tenant_suspended` (403). Suspending it again changes nothing. */
@Injectable()
export class SuspendTenantUseCase {
  constructor(
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  execute(command: TenantLifecycleCommand): Promise<TenantStateView> {
    return this.changes.run(command.tenantId, async (change) => {
      assertNotDeleted(change.state);
      if (change.state.status === 'suspended') return toTenantStateView(change.state);
      const reason = command.reason ?? 'unspecified';
      const state = await this.states.suspend(change.tx, command.tenantId, reason);
      await change.audit({ action: 'suspended', actor: command.actor, reason });
      await change.emit(TenantSuspendedV1, {
        tenantId: state.id,
        reason,
        suspendedAt: state.updatedAt.toISOString(),
      });
      return toTenantStateView(state);
    });
  }
}
