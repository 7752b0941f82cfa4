import { AuditTrail } from '../../../audit/audit-trail';
import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { apiKeyNotFound } from '../../api-key-errors';
import { ApiKeysRepository } from '../../api-keys.repository';
import type { RevokeApiKeyCommand } from './revoke-api-key.command';

/**
 * Revocation is a committed row change that verification reads on every call, so auth refuses the
 * key at once; gateways, which cache a verification for at most 5 s, refuse it within 5 s.
 * Revoking a revoked key again is fine; a key of another tenant is 404.
 */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RevokeApiKeyCommand): Promise<void> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'api_keys.manage');
    const outcome = await this.keys.transaction(async (manager) => {
      const result = await this.keys.revoke(manager, command.tenantId, command.apiKeyId, actor.userId);
      if (result === 'revoked') {
        await this.audit.record(manager, {
          tenantId: command.tenantId,
          actorUserId: actor.userId,
          action: 'api-key.revoked',
          target: { type: 'api-key', id: command.apiKeyId },
        });
      }
      return result;
    });
    if (outcome === 'missing') throw apiKeyNotFound();
    this.logger.info({ tenantId: command.tenantId, apiKeyId: command.apiKeyId }, 'API key revoked');
  }
}
