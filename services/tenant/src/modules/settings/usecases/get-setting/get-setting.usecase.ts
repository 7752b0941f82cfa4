import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { assertNotDeleted } from '../../../tenant-state/tenant-state';
import { TenantStateRepository } from '../../../tenant-state/tenant-state.repository';
import { SettingsRepository, type SettingView } from '../../settings.repository';
import type { GetSettingQuery } from './get-setting.query';

/**
 * One setting, read in the schema of the tenant named by the path (TenantDb, tenant in context).
 * Readable while suspended; a deleted tenant's settings are not.
 */
@Injectable()
export class GetSettingUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly states: TenantStateRepository,
    private readonly settings: SettingsRepository,
  ) {}

  execute(query: GetSettingQuery): Promise<SettingView> {
    return TenantContext.run(query.tenantId, () =>
      this.db.run(async (scope) => {
        assertNotDeleted(await this.states.lock(scope, query.tenantId, 'share'));
        const setting = await this.settings.get(scope, query.key);
        if (!setting) throw new DomainException(ErrorCode.SettingNotFound, `No setting "${query.key}"`);
        return setting;
      }),
    );
  }
}
