import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../../../audit/audit-trail';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { domainNotFound } from '../../domain-errors';
import { DomainsRepository } from '../../domains.repository';
import type { DomainCommand } from '../domain-commands';

/**
 * Gives a claim up (verified or not): the domain is free for whoever proves it next. Recorded for
 * the audit log (`sso.removed`) in the same transaction.
 */
@Injectable()
export class RemoveDomainUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: DomainCommand): Promise<void> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    const removed = await this.domains.transaction(async (manager) => {
      const domain = await this.domains.remove(command.tenantId, command.domainId, manager);
      if (domain) {
        await this.audit.record(manager, {
          tenantId: command.tenantId,
          actorUserId: actor.userId,
          action: 'sso.removed',
          target: { type: 'domain', id: command.domainId },
          details: { setting: 'domain', domain },
        });
      }
      return domain;
    });
    if (!removed) throw domainNotFound();
  }
}
