import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { DomainsRepository, type DomainView } from '../../domains.repository';
import type { ListDomainsCommand } from '../domain-commands';

/** The tenant's claims, pending and verified (owners and admins). */
@Injectable()
export class ListDomainsUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
  ) {}

  async execute(command: ListDomainsCommand): Promise<{ domains: DomainView[] }> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    return { domains: await this.domains.list(command.tenantId) };
  }
}
