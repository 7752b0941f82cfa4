import { Injectable } from '@nestjs/common';
import type { ChatModelList } from '@parley/contracts';
import { assertTenantId } from '@parley/tenancy';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { ProviderTargetsResolver } from '../../provider-targets.resolver';

/**
 * The models a tenant's answers come from, in the order they are tried (any principal: the model
 * picker), and whether only the local demo model would answer.
 */
@Injectable()
export class ListChatModelsUseCase {
  constructor(private readonly targets: ProviderTargetsResolver) {}

  async execute(command: { principal: ChatPrincipal }): Promise<ChatModelList> {
    const items = await this.targets.modelsFor(assertTenantId(command.principal.tenantId));
    return { items, localDemoOnly: items.length > 0 && items.every((item) => item.localDemo) };
  }
}
