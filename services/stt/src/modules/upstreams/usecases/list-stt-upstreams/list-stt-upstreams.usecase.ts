import { Injectable } from '@nestjs/common';
import type { SttUpstreamView } from '@parley/contracts';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { assertMayManageUpstreams, sttUpstreamView } from '../../stt-upstream';
import { SttUpstreamsRepository } from '../../stt-upstreams.repository';

/** The tenant's own speech upstreams (owners and admins): never a key, only its hint. */
@Injectable()
export class ListSttUpstreamsUseCase {
  constructor(private readonly upstreams: SttUpstreamsRepository) {}

  async execute(command: { principal: SttPrincipal }): Promise<{ items: SttUpstreamView[] }> {
    assertMayManageUpstreams(command.principal);
    const records = await this.upstreams.list(command.principal.tenantId);
    return { items: records.map(sttUpstreamView) };
  }
}
