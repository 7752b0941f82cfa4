import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { domainNotFound } from '../../domain-errors';
import { DomainsRepository } from '../../domains.repository';
import type { DomainCommand } from '../domain-commands';

/** Gives a claim up (verified or not): the domain is free for whoever proves it next. */
@Injectable()
export class RemoveDomainUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
  ) {}

  async execute(command: DomainCommand): Promise<void> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    if (!(await this.domains.remove(command.tenantId, command.domainId))) throw domainNotFound();
  }
}
