import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder, auditActorOf } from '@parley/bus';
import { LOGGER, type Logger } from '@parley/observability';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { assertMayManageProviders, providerKind, providerNotFound } from '../../provider-credential';
import { ProviderCredentialsRepository } from '../../provider-credentials.repository';
import { ProviderTargetsResolver } from '../../provider-targets.resolver';

/**
 * Removes the tenant's provider of one kind, key included (owners and admins), and records
 * `provider-key.removed` for the audit log in the same transaction.
 */
@Injectable()
export class DeleteProviderCredentialUseCase {
  constructor(
    private readonly credentials: ProviderCredentialsRepository,
    private readonly targets: ProviderTargetsResolver,
    private readonly audit: AuditRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: { principal: ChatPrincipal; kind: string }): Promise<void> {
    assertMayManageProviders(command.principal);
    const kind = providerKind(command.kind);
    const { tenantId } = command.principal;
    const deleted = await this.credentials.transaction(tenantId, async (tx) => {
      const id = await this.credentials.delete(tx, kind);
      if (id) {
        await this.audit.record(tx, {
          tenantId,
          actor: auditActorOf(command.principal),
          action: 'provider-key.removed',
          target: { type: 'provider-key', id },
          details: { provider: kind },
        });
      }
      return id;
    });
    this.targets.forget(tenantId);
    if (!deleted) throw providerNotFound(kind);
    this.logger.info({ provider: kind }, 'Tenant provider removed');
  }
}
