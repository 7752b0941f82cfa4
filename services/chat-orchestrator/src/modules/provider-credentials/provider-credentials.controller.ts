import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { DeleteProviderCredentialUseCase } from './usecases/delete-provider-credential/delete-provider-credential.usecase';
import { ListProviderCredentialsUseCase } from './usecases/list-provider-credentials/list-provider-credentials.usecase';
import { PutProviderCredentialCommand } from './usecases/put-provider-credential/put-provider-credential.command';
import { PutProviderCredentialUseCase } from './usecases/put-provider-credential/put-provider-credential.usecase';

/** `/chat/providers` (public: `/api/v1/chat/providers`): the tenant's own LLM provider keys. */
@Controller('chat/providers')
@UseGuards(InternalPrincipalGuard)
export class ProviderCredentialsController {
  constructor(
    private readonly listProviders: ListProviderCredentialsUseCase,
    private readonly putProvider: PutProviderCredentialUseCase,
    private readonly deleteProvider: DeleteProviderCredentialUseCase,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: ChatPrincipal) {
    return this.listProviders.execute({ principal });
  }

  @Put(':kind')
  put(@CurrentPrincipal() principal: ChatPrincipal, @Param('kind') kind: string, @Body() body: unknown) {
    return this.putProvider.execute(PutProviderCredentialCommand.create(principal, kind, body));
  }

  @Delete(':kind')
  @HttpCode(204)
  delete(@CurrentPrincipal() principal: ChatPrincipal, @Param('kind') kind: string) {
    return this.deleteProvider.execute({ principal, kind });
  }
}
