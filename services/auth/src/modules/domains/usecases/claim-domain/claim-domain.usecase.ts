import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { AuditTrail } from '../../../audit/audit-trail';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { domainTaken, invalidDomain } from '../../domain-errors';
import { normaliseDomain } from '../../domain-name';
import { DomainsRepository, type DomainView } from '../../domains.repository';
import type { ClaimDomainCommand } from '../domain-commands';

/** Claims per tenant: enough for every brand and subsidiary, few enough that a loop cannot fill the table. */
export const MAX_DOMAINS_PER_TENANT = 20;

/**
 * Owners and admins claim a domain; the answer carries the TXT record that proves it. Claiming a
 * domain the tenant already claimed answers the same claim; one another tenant verified is 409
 * `domain_taken` (without naming that tenant). A new claim is recorded for the audit log.
 */
@Injectable()
export class ClaimDomainUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: ClaimDomainCommand): Promise<DomainView> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    const domain = normaliseDomain(command.domain);
    if (!domain) throw invalidDomain();
    if (await this.domains.verifiedElsewhere(command.tenantId, domain)) throw domainTaken(domain);
    const existing = (await this.domains.list(command.tenantId)).find((claim) => claim.domain === domain);
    if (existing) return existing;
    if ((await this.domains.count(command.tenantId)) >= MAX_DOMAINS_PER_TENANT) {
      throw new DomainException(
        ErrorCode.DomainLimitReached,
        `An organisation may claim ${MAX_DOMAINS_PER_TENANT} domains; remove one first`,
        { limit: MAX_DOMAINS_PER_TENANT },
      );
    }
    return this.domains.transaction(async (manager) => {
      const { view, created } = await this.domains.claim(
        {
          id: randomUUID(),
          tenantId: command.tenantId,
          domain,
          challenge: randomBytes(24).toString('base64url'),
          createdBy: actor.userId,
        },
        manager,
      );
      if (created) {
        await this.audit.record(manager, {
          tenantId: command.tenantId,
          actorUserId: actor.userId,
          action: 'sso.configured',
          target: { type: 'domain', id: view.id },
          details: { setting: 'domain', domain, status: 'claimed' },
        });
      }
      return view;
    });
  }
}
