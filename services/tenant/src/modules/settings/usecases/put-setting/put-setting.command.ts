import { Buffer } from 'node:buffer';
import { DomainException, ErrorCode } from '@parley/contracts';
import { parse, TenantCommand } from '../../../tenant-state/tenant.command';
import { settingKeySchema } from '../../setting-key';

/** Set one setting of one tenant to a JSON value (any JSON, null included). */
export class PutSettingCommand extends TenantCommand {
  private constructor(
    base: { tenantId: TenantCommand['tenantId']; actor: string },
    readonly key: string,
    /** The value as JSON text, and its size in bytes (the use case enforces the configured limit). */
    readonly json: string,
    readonly bytes: number,
  ) {
    super(base.tenantId, base.actor);
  }

  static create(input: { tenantId: unknown; actor?: unknown; key: unknown; value: unknown }): PutSettingCommand {
    const base = TenantCommand.base(input);
    const key = parse(settingKeySchema, input.key, 'key');
    if (input.value === undefined) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid body', { issues: ['value: is required'] });
    }
    const json = JSON.stringify(input.value);
    return new PutSettingCommand(base, key, json, Buffer.byteLength(json, 'utf8'));
  }
}
