import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder, auditActorOf } from '@parley/bus';
import { EgressPolicy, keyHint } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { CredentialEncryption } from '../../credential-encryption';
import {
  assertMayManageProviders,
  providerCredentialView,
  type ProviderCredentialView,
} from '../../provider-credential';
import { ProviderCredentialsRepository } from '../../provider-credentials.repository';
import { ProviderTargetsResolver } from '../../provider-targets.resolver';
import type { PutProviderCredentialCommand } from './put-provider-credential.command';

/**
 * Sets the tenant's provider of one kind (owners and admins). The key is sealed with AES-256-GCM
 * bound to the row id; without `apiKey` the stored key is kept — but never sent to a new address:
 * changing `baseUrl` of a provider that has a key needs the key again. A `baseUrl` must pass the
 * egress policy (cloud: https to a public address only, unless the operator's allowlist says so).
 * The change is recorded as `provider-key.set` for the audit log in the same transaction (the
 * provider, model and whether the key changed: never the key, nor its hint).
 */
@Injectable()
export class PutProviderCredentialUseCase {
  constructor(
    private readonly credentials: ProviderCredentialsRepository,
    private readonly encryption: CredentialEncryption,
    private readonly targets: ProviderTargetsResolver,
    private readonly egress: EgressPolicy,
    private readonly audit: AuditRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: PutProviderCredentialCommand): Promise<ProviderCredentialView> {
    assertMayManageProviders(command.principal);
    // 400 egress_denied for an address the platform may not call (checked again at each connection).
    if (command.baseUrl) await this.egress.checkUrl(command.baseUrl);
    const { tenantId, ownerId } = command.principal;
    const saved = await this.credentials.transaction(tenantId, async (tx) => {
      await this.credentials.lockKind(tx, command.kind);
      const current = await this.credentials.findByKind(tx, command.kind);
      const id = current?.id ?? randomUUID();
      let sealed: { encryptedKey: Buffer | null; keyHint: string | null };
      if (command.apiKey !== null) {
        sealed = { encryptedKey: this.encryption.encrypt(command.apiKey, id), keyHint: keyHint(command.apiKey) };
      } else if (current) {
        if (current.encryptedKey && current.baseUrl !== command.baseUrl) {
          throw new DomainException(
            ErrorCode.ValidationFailed,
            'apiKey is required when baseUrl changes: the stored key is never sent to a new address',
          );
        }
        sealed = { encryptedKey: current.encryptedKey, keyHint: current.keyHint };
      } else if (command.baseUrl) {
        sealed = { encryptedKey: null, keyHint: null }; // a server that needs no key (Ollama, llama.cpp)
      } else {
        throw new DomainException(ErrorCode.ValidationFailed, 'A new provider needs an apiKey or a baseUrl');
      }
      const row = await this.credentials.save(tx, {
        id,
        kind: command.kind,
        baseUrl: command.baseUrl,
        model: command.model,
        ...sealed,
        priority: command.priority,
        updatedBy: ownerId,
      });
      await this.audit.record(tx, {
        tenantId,
        actor: auditActorOf(command.principal),
        action: 'provider-key.set',
        target: { type: 'provider-key', id },
        details: {
          provider: row.kind,
          model: row.model,
          customBaseUrl: row.baseUrl !== null,
          keyChanged: command.apiKey !== null,
          created: current === null,
        },
      });
      return row;
    });
    this.targets.forget(tenantId);
    this.logger.info(
      { provider: saved.kind, model: saved.model, keyChanged: command.apiKey !== null },
      'Tenant provider set',
    );
    return providerCredentialView(saved);
  }
}
