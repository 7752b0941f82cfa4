import { Injectable } from '@nestjs/common';
import { TenantPlanChangedV1 } from '@parley/contracts';
import { TenantChangeRunner } from '../../../tenant-state/tenant-change.runner';
import { assertNotDeleted, toTenantStateView, type TenantStateView } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import type { ChangePlanCommand } from './change-plan.command';

/**
 * Moves a tenant to another plan (billing calls this): the row, the audit entry and
 * `tenant.plan-changed.v1` in one transaction. The same plan again changes nothing. A suspended
 * tenant's plan can change; a deleted tenant's cannot.
 */
@Injectable()
export class ChangePlanUseCase {
  constructor(
    private readonly changes: TenantChangeRunner,
    private readonly states: TenantStateRepository,
  ) {}

  execute(command: ChangePlanCommand): Promise<TenantStateView> {
    return this.changes.run(command.tenantId, async (change) => {
      assertNotDeleted(change.state);
      const previousPlan = change.state.planId;
      if (previousPlan === command.plan) return toTenantStateView(change.state);
      const state = await this.states.setPlan(change.tx, command.tenantId, command.plan);
      await change.audit({
        action: 'plan_changed',
        actor: command.actor,
        reason: command.reason,
        details: { previousPlan, plan: command.plan },
      });
      await change.emit(TenantPlanChangedV1, {
        tenantId: state.id,
        previousPlan,
        plan: command.plan,
        changedAt: state.updatedAt.toISOString(),
      });
      return toTenantStateView(state);
    });
  }
}
