import { planIdSchema } from '@parley/contracts';
import type { PlanId } from '@parley/config';
import { parse, reasonSchema, TenantCommand } from '../../../tenant-state/tenant.command';

export class ChangePlanCommand extends TenantCommand {
  private constructor(
    base: { tenantId: TenantCommand['tenantId']; actor: string },
    readonly plan: PlanId,
    readonly reason: string | null,
  ) {
    super(base.tenantId, base.actor);
  }

  static create(input: { tenantId: unknown; actor?: unknown; plan: unknown; reason?: unknown }): ChangePlanCommand {
    const base = TenantCommand.base(input);
    const reason = input.reason === undefined ? null : parse(reasonSchema, input.reason, 'reason');
    return new ChangePlanCommand(base, parse(planIdSchema, input.plan, 'plan'), reason);
  }
}
