import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { ApiKeysRepository, type ApiKeyView } from '../../api-keys.repository';
import type { ListApiKeysCommand } from './list-api-keys.command';

/** The tenant's keys that are not revoked, for owners and admins: prefixes and metadata, no secrets. */
@Injectable()
export class ListApiKeysUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly keys: ApiKeysRepository,
  ) {}

  async execute(command: ListApiKeysCommand): Promise<{ apiKeys: ApiKeyView[] }> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'api_keys.manage');
    return { apiKeys: await this.keys.list(command.tenantId) };
  }
}
