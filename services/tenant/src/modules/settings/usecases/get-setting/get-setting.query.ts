import { parse, TenantCommand } from '../../../tenant-state/tenant.command';
import { settingKeySchema } from '../../setting-key';

/** Read one setting of one tenant: the tenant id from the path picks the schema. */
export class GetSettingQuery extends TenantCommand {
  private constructor(
    base: { tenantId: TenantCommand['tenantId']; actor: string },
    readonly key: string,
  ) {
    super(base.tenantId, base.actor);
  }

  static create(input: { tenantId: unknown; key: unknown }): GetSettingQuery {
    return new GetSettingQuery(TenantCommand.base(input), parse(settingKeySchema, input.key, 'key'));
  }
}
