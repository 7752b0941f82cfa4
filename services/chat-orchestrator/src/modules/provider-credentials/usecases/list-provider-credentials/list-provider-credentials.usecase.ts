import { Injectable } from '@nestjs/common';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import {
  assertMayManageProviders,
  providerCredentialView,
  type ProviderCredentialView,
} from '../../provider-credential';
import { ProviderCredentialsRepository } from '../../provider-credentials.repository';

/** The tenant's own providers in the order they are tried (owners and admins). */
@Injectable()
export class ListProviderCredentialsUseCase {
  constructor(private readonly credentials: ProviderCredentialsRepository) {}

  async execute(command: { principal: ChatPrincipal }): Promise<{ items: ProviderCredentialView[] }> {
    assertMayManageProviders(command.principal);
    const records = await this.credentials.list(command.principal.tenantId);
    return { items: records.map(providerCredentialView) };
  }
}
