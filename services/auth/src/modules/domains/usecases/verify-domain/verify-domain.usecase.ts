import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { AuditTrail } from '../../../audit/audit-trail';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { DnsTxtLookup } from '../../dns-txt-lookup';
import { domainNotFound, domainTaken, verificationFailed } from '../../domain-errors';
import { challengeRecordName, challengeRecordValue } from '../../domain-name';
import { DomainsRepository, type DomainView } from '../../domains.repository';
import type { DomainCommand } from '../domain-commands';

/** At most this many TXT strings are echoed back when the proof is missing. */
const FOUND_SHOWN = 10;

/**
 * Looks the claim's TXT record up (`_parley-challenge.<domain>`) and, when it carries this claim's
 * value, marks the domain verified. A missing record is 422 `domain_verification_failed` with what
 * was found; a domain another tenant verified first is 409 `domain_taken`; a DNS failure is 503.
 * The verification is recorded for the audit log in its transaction.
 */
@Injectable()
export class VerifyDomainUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
    private readonly dns: DnsTxtLookup,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: DomainCommand): Promise<DomainView> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    const claim = await this.domains.find(command.tenantId, command.domainId);
    if (!claim) throw domainNotFound();
    const { view } = claim;
    if (view.status === 'verified') return view;
    if (await this.domains.verifiedElsewhere(command.tenantId, view.domain)) throw domainTaken(view.domain);
    const name = challengeRecordName(view.domain);
    const expected = challengeRecordValue(claim.challenge);
    const found = await this.dns.txt(name);
    if (!found.includes(expected)) {
      throw verificationFailed(
        `No TXT record at ${name} carries this claim's value yet (DNS changes can take a while)`,
        {
          record: { name, value: expected },
          found: found.slice(0, FOUND_SHOWN),
        },
      );
    }
    await this.domains.transaction(async (manager) => {
      if (!(await this.domains.markVerified(command.tenantId, view.id, 'dns', manager))) throw domainTaken(view.domain);
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'sso.configured',
        target: { type: 'domain', id: view.id },
        details: { setting: 'domain', domain: view.domain, status: 'verified', by: 'dns' },
      });
    });
    this.logger.info({ tenantId: command.tenantId, domain: view.domain, by: 'dns' }, 'Domain verified');
    const verified = await this.domains.find(command.tenantId, view.id);
    if (!verified) throw domainNotFound();
    return verified.view;
  }
}
