import { parse, reasonSchema, TenantCommand } from '../tenant-state/tenant.command';

/** Suspend, resume, delete or restore one tenant, with the reason recorded in the audit trail. */
export class TenantLifecycleCommand extends TenantCommand {
  private constructor(
    base: { tenantId: TenantCommand['tenantId']; actor: string },
    readonly reason: string | null,
  ) {
    super(base.tenantId, base.actor);
  }

  static create(
    input: { tenantId: unknown; actor?: unknown; reason?: unknown },
    options: { reasonRequired?: boolean } = {},
  ): TenantLifecycleCommand {
    const base = TenantCommand.base(input);
    const reason =
      input.reason === undefined && !options.reasonRequired ? null : parse(reasonSchema, input.reason, 'reason');
    return new TenantLifecycleCommand(base, reason);
  }
}
