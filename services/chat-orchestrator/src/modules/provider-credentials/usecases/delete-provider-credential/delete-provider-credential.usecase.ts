import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { assertMayManageProviders, providerKind, providerNotFound } from '../../provider-credential';
import { ProviderCredentialsRepository } from '../../provider-credentials.repository';
import { ProviderTargetsResolver } from '../../provider-targets.resolver';

/** Removes the tenant's provider of one kind, key included (owners and admins). */
@Injectable()
export class DeleteProviderCredentialUseCase {
  constructor(
    private readonly credentials: ProviderCredentialsRepository,
    private readonly targets: ProviderTargetsResolver,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: { principal: ChatPrincipal; kind: string }): Promise<void> {
    assertMayManageProviders(command.principal);
    const kind = providerKind(command.kind);
    const deleted = await this.credentials.delete(command.principal.tenantId, kind);
    this.targets.forget(command.principal.tenantId);
    if (!deleted) throw providerNotFound(kind);
    this.logger.info({ provider: kind }, 'Tenant provider removed');
  }
}
