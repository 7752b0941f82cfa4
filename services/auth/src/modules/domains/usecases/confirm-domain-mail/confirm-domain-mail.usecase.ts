import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { LOGGER, type Logger } from '@parley/observability';
import { isOpaqueToken, sha256 } from '../../../../common/opaque-token';
import { parseInput } from '../../../../common/parse-input';
import { AuditTrail } from '../../../audit/audit-trail';
import { domainTaken, verificationFailed } from '../../domain-errors';
import { DOMAIN_MAIL_TOKEN_PREFIX } from '../../domain-mail';
import { DomainsRepository } from '../../domains.repository';

const schema = z.object({ token: z.string().max(200) });

/**
 * The link of a verification mail (public: the token is the proof that someone reading the admin
 * mailbox agreed). Works once, until it expires; a domain another tenant verified first is 409.
 * Recorded for the audit log (actor `system`: nobody is signed in) in its transaction.
 */
@Injectable()
export class ConfirmDomainMailUseCase {
  constructor(
    private readonly domains: DomainsRepository,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(body: unknown): Promise<{ domain: string; status: 'verified' }> {
    const { token } = parseInput(schema, body, 'verification link');
    const found = isOpaqueToken(DOMAIN_MAIL_TOKEN_PREFIX, token)
      ? await this.domains.findByMailToken(sha256(token))
      : null;
    if (!found) throw verificationFailed('This verification link is not valid (it may have been used already)');
    if (found.expired) throw verificationFailed('This verification link has expired; send a new mail');
    const claim = await this.domains.find(found.tenantId, found.id);
    if (!claim) throw verificationFailed('This verification link is not valid (it may have been used already)');
    await this.domains.transaction(async (manager) => {
      if (!(await this.domains.markVerified(found.tenantId, found.id, 'mail', manager))) {
        throw domainTaken(claim.view.domain);
      }
      // Nobody is signed in: the link's reader acted, so the entry names no user.
      await this.audit.record(manager, {
        tenantId: found.tenantId,
        actorUserId: null,
        action: 'sso.configured',
        target: { type: 'domain', id: found.id },
        details: { setting: 'domain', domain: claim.view.domain, status: 'verified', by: 'mail' },
      });
    });
    this.logger.info({ tenantId: found.tenantId, domain: claim.view.domain, by: 'mail' }, 'Domain verified');
    return { domain: claim.view.domain, status: 'verified' };
  }
}
