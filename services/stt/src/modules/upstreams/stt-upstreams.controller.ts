import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import type { SttPrincipal } from '../principal/stt-principal';
import { DeleteSttUpstreamUseCase } from './usecases/delete-stt-upstream/delete-stt-upstream.usecase';
import { ListSttUpstreamsUseCase } from './usecases/list-stt-upstreams/list-stt-upstreams.usecase';
import { PutSttUpstreamCommand } from './usecases/put-stt-upstream/put-stt-upstream.command';
import { PutSttUpstreamUseCase } from './usecases/put-stt-upstream/put-stt-upstream.usecase';

/** `/upstreams` (public: `/api/v1/stt/upstreams`): the tenant's own speech upstreams. */
@Controller('upstreams')
@UseGuards(InternalPrincipalGuard)
export class SttUpstreamsController {
  constructor(
    private readonly listUpstreams: ListSttUpstreamsUseCase,
    private readonly putUpstream: PutSttUpstreamUseCase,
    private readonly deleteUpstream: DeleteSttUpstreamUseCase,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: SttPrincipal) {
    return this.listUpstreams.execute({ principal });
  }

  @Put(':kind')
  put(@CurrentPrincipal() principal: SttPrincipal, @Param('kind') kind: string, @Body() body: unknown) {
    return this.putUpstream.execute(PutSttUpstreamCommand.create(principal, kind, body));
  }

  @Delete(':kind')
  @HttpCode(204)
  delete(@CurrentPrincipal() principal: SttPrincipal, @Param('kind') kind: string) {
    return this.deleteUpstream.execute({ principal, kind });
  }
}
