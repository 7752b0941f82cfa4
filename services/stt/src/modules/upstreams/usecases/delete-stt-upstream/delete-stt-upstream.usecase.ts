import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { assertMayManageUpstreams, upstreamKind } from '../../stt-upstream';
import { SttUpstreamsRepository } from '../../stt-upstreams.repository';

/** Removes the tenant's upstream of a kind (owners and admins): the platform's engine applies again. */
@Injectable()
export class DeleteSttUpstreamUseCase {
  constructor(
    private readonly upstreams: SttUpstreamsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: { principal: SttPrincipal; kind: string }): Promise<void> {
    assertMayManageUpstreams(command.principal);
    const kind = upstreamKind(command.kind);
    if (!(await this.upstreams.delete(command.principal.tenantId, kind))) {
      throw new DomainException(ErrorCode.NotFound, `The tenant has no ${kind} speech upstream`);
    }
    this.logger.info({ upstream: kind }, 'Tenant speech upstream removed');
  }
}
