import { Inject, Injectable } from '@nestjs/common';
import { parseInput, putSttRetentionBodySchema, type SttRetentionView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { assertMayManageUpstreams } from '../../../upstreams/stt-upstream';
import { AudioRetentionRepository } from '../../audio-retention.repository';

/**
 * Sets the tenant's audio retention (owners and admins). Turning it off, or shortening the days,
 * deletes what the new setting does not allow in the same transaction.
 */
@Injectable()
export class PutRetentionUseCase {
  constructor(
    private readonly retention: AudioRetentionRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: { principal: SttPrincipal; body: unknown }): Promise<SttRetentionView> {
    assertMayManageUpstreams(command.principal);
    const setting = parseInput(putSttRetentionBodySchema, command.body, 'body');
    const { tenantId, userId, kind } = command.principal;
    const view = await this.retention.transaction(tenantId, async (tx) => {
      await this.retention.saveSetting(tx, setting, userId ?? kind);
      const deleted = await this.retention.purge(tx, new Date());
      if (deleted) this.logger.info({ deleted }, 'Kept audio deleted by the new retention setting');
      return { ...setting, keptFiles: await this.retention.keptFiles(tx) };
    });
    this.logger.info({ enabled: setting.enabled, days: setting.days }, 'Tenant audio retention set');
    return view;
  }
}
