import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { authSettings, type AuthSettings } from '../../../../auth-settings';
import { newOpaqueToken } from '../../../../common/opaque-token';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { Mailer } from '../../../mail/mailer';
import { domainNotFound, domainTaken } from '../../domain-errors';
import { DOMAIN_MAIL_TOKEN_PREFIX, domainMail } from '../../domain-mail';
import { DomainsRepository, type DomainView } from '../../domains.repository';
import type { SendDomainMailCommand } from '../domain-commands';

/** Least time between two verification mails of one claim (an admin mailbox is not a target). */
export const DOMAIN_MAIL_INTERVAL_SECONDS = 60;

/**
 * The proof by mail: a single-use link sent to one of the domain's admin mailboxes
 * (`admin@`, `hostmaster@`, … — never any address, so one user of a mail provider cannot claim the
 * provider). A new mail replaces the previous link; at most one per minute per claim (429).
 */
@Injectable()
export class SendDomainMailUseCase {
  private readonly settings: AuthSettings;

  constructor(
    private readonly actors: ActorResolver,
    private readonly domains: DomainsRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = authSettings(config);
  }

  async execute(command: SendDomainMailCommand): Promise<DomainView> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'sso.manage');
    const claim = await this.domains.find(command.tenantId, command.domainId);
    if (!claim) throw domainNotFound();
    const { view } = claim;
    if (view.status === 'verified') return view;
    if (await this.domains.verifiedElsewhere(command.tenantId, view.domain)) throw domainTaken(view.domain);
    const since = await this.domains.secondsSinceMail(command.tenantId, view.id);
    if (since !== null && since < DOMAIN_MAIL_INTERVAL_SECONDS) {
      const retryAfterSeconds = Math.ceil(DOMAIN_MAIL_INTERVAL_SECONDS - since);
      throw new DomainException(ErrorCode.TooManyAttempts, 'A verification mail was sent a moment ago; wait a minute', {
        retryAfterSeconds,
      });
    }
    const to = `${command.mailbox}@${view.domain}`;
    const token = newOpaqueToken(DOMAIN_MAIL_TOKEN_PREFIX);
    const ttlSeconds = this.settings.domains.mailTtlSeconds;
    await this.domains.recordMail(command.tenantId, view.id, { hash: token.hash, sentTo: to, ttlSeconds });
    const names = await this.domains.mailContext(command.tenantId, actor.userId);
    await this.mailer.send(
      domainMail({
        to,
        domain: view.domain,
        tenant: names.tenant,
        requester: names.requester,
        publicUrl: this.settings.publicUrl,
        token: token.token,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
      }),
    );
    const sent = await this.domains.find(command.tenantId, view.id);
    if (!sent) throw domainNotFound();
    return sent.view;
  }
}
