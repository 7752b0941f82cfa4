import { AuditTrail } from '../../../audit/audit-trail';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { TenantPlansRepository } from '../../../tenant-plans/tenant-plans.repository';
import { newApiKey } from '../../api-key-secret';
import { ApiKeysRepository, type ApiKeyView } from '../../api-keys.repository';
import type { CreateApiKeyCommand } from './create-api-key.command';

export interface CreatedApiKey extends ApiKeyView {
  /** The whole key, in this answer only. */
  key: string;
}

/** A prefix collision (1 in 36^8 per key) draws again; this many times is beyond any bad luck. */
const MAX_PREFIX_DRAWS = 5;

/**
 * Owners and admins create keys, up to the plan's `apiKeys` limit (active keys, counted under the
 * tenant's lock). The key is returned once; only its prefix and sha256 are stored.
 */
@Injectable()
export class CreateApiKeyUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly keys: ApiKeysRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: CreateApiKeyCommand): Promise<CreatedApiKey> {
    const created = await this.keys.transaction(async (manager) => {
      await this.tenants.lockTenant(manager, command.tenantId);
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'api_keys.manage');
      const { apiKeys: limit } = await this.tenants.limitsOf(manager, command.tenantId);
      if ((await this.keys.countActive(manager, command.tenantId)) >= limit) {
        throw new DomainException(ErrorCode.ApiKeyLimitReached, `The plan allows ${limit} active API keys`, {
          limit,
        });
      }
      for (let draw = 0; draw < MAX_PREFIX_DRAWS; draw++) {
        const secret = newApiKey();
        const view = await this.keys.insert(manager, {
          id: randomUUID(),
          tenantId: command.tenantId,
          name: command.name,
          prefix: secret.prefix,
          hash: secret.hash,
          scopes: command.scopes,
          createdBy: actor.userId,
          expiresAt: command.expiresAt,
        });
        if (view) {
          await this.audit.record(manager, {
            tenantId: command.tenantId,
            actorUserId: actor.userId,
            action: 'api-key.created',
            target: { type: 'api-key', id: view.id },
            details: { name: command.name, scopes: command.scopes.join(' ') },
          });
          return { ...view, key: secret.key };
        }
      }
      throw new Error('Could not draw a free API key prefix');
    });
    this.logger.info({ tenantId: command.tenantId, apiKeyId: created.id }, 'API key created');
    return created;
  }
}
