import { z } from 'zod';
import { featureNameSchema } from '@parley/contracts';
import { parse, TenantCommand } from '../../../tenant-state/tenant.command';

/** Override one flag for one tenant (`enabled`), or clear the override (`null`: the global default again). */
export class SetTenantFeatureCommand extends TenantCommand {
  private constructor(
    base: { tenantId: TenantCommand['tenantId']; actor: string },
    readonly name: string,
    readonly enabled: boolean | null,
  ) {
    super(base.tenantId, base.actor);
  }

  static create(input: {
    tenantId: unknown;
    actor?: unknown;
    name: unknown;
    enabled: unknown;
  }): SetTenantFeatureCommand {
    const base = TenantCommand.base(input);
    return new SetTenantFeatureCommand(
      base,
      parse(featureNameSchema, input.name, 'name'),
      parse(z.boolean().nullable(), input.enabled, 'enabled'),
    );
  }
}
