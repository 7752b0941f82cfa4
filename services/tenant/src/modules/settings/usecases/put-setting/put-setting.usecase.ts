import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { assertWritable } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import { SettingsRepository, type SettingView } from '../../settings.repository';
import type { PutSettingCommand } from './put-setting.command';

const DEFAULT_MAX_BYTES = 16_384;

/**
 * Writes one setting in the schema of the tenant named by the path (values up to
 * TENANT_SETTING_MAX_BYTES of JSON, else 413). The tenant's row is held `FOR SHARE` in the same
 * transaction, so a suspension (403 `tenant_suspended`), deletion or purge cannot slip in between
 * the check and the write.
 */
@Injectable()
export class PutSettingUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDb,
    private readonly states: TenantStateRepository,
    private readonly settings: SettingsRepository,
  ) {}

  execute(command: PutSettingCommand): Promise<SettingView> {
    const maxBytes = this.config.tenant?.settingMaxBytes ?? DEFAULT_MAX_BYTES;
    if (command.bytes > maxBytes) {
      throw new DomainException(ErrorCode.PayloadTooLarge, `A setting value is at most ${maxBytes} bytes of JSON`, {
        maxBytes,
        bytes: command.bytes,
      });
    }
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        assertWritable(await this.states.lock(scope, command.tenantId, 'share'));
        return this.settings.put(scope, command.key, command.json);
      }),
    );
  }
}
