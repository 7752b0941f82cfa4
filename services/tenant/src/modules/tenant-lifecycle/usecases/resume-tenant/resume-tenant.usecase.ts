import { Injectable } from '@nestjs/common';
import { TenantResumedV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { assertNotDeleted, toTenantStateView, type TenantStateView } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import type { TenantLifecycleCommand } from '../../tenant-lifecycle.command';

/** Lifts a suspension. Resuming a tenant that is not suspended changes nothing. */
@Injectable()
export class ResumeTenantUseCase {
  constructor(
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  execute(command: TenantLifecycleCommand): Promise<TenantStateView> {
    return this.changes.run(command.tenantId, async (change) => {
      assertNotDeleted(change.state);
      if (change.state.status !== 'suspended') return toTenantStateView(change.state);
      const state = await this.states.resume(change.tx, command.tenantId);
      await change.audit({ action: 'resumed', actor: command.actor, reason: command.reason });
      await change.emit(TenantResumedV1, { tenantId: state.id, resumedAt: state.updatedAt.toISOString() });
      return toTenantStateView(state);
    });
  }
}
