import { Injectable } from '@nestjs/common';
import type { SttRetentionView } from '@parley/contracts';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { assertMayManageUpstreams } from '../../../upstreams/stt-upstream';
import { AudioRetentionRepository } from '../../audio-retention.repository';

/** The tenant's audio retention and how many uploads are kept (owners and admins). */
@Injectable()
export class GetRetentionUseCase {
  constructor(private readonly retention: AudioRetentionRepository) {}

  execute(command: { principal: SttPrincipal }): Promise<SttRetentionView> {
    assertMayManageUpstreams(command.principal);
    return this.retention.transaction(command.principal.tenantId, async (tx) => ({
      ...(await this.retention.setting(tx)),
      keptFiles: await this.retention.keptFiles(tx),
    }));
  }
}
