import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import type { BillingNotice } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../auth-settings';
import { Mailer } from '../../../mail/mailer';
import { billingNoticeMail } from '../../billing-notice-mail';
import { BillingNoticesRepository } from '../../billing-notices.repository';

/**
 * `billing.notice.v1` → one mail to each owner and billing member of the tenant:
 * 1. find the audience (owners and the `billing` role, with their addresses) and, for a budget,
 *    whom it caps (the member's name, the API key's name);
 * 2. for each address, claim (notice id, address) — an address already mailed for this notice is
 *    skipped, so a redelivery, a re-publication or a second replica never mails twice;
 * 3. send; if the mail server does not take it after the mailer's retries, give the claim back
 *    and fail, so the bus redelivers (and dead-letters after its bounded retries).
 */
@Injectable()
export class MailBillingNoticeUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly repository: BillingNoticesRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(notice: BillingNotice): Promise<{ mailed: number }> {
    const { tenant, recipients } = await this.repository.audience(notice.tenantId);
    const subject =
      notice.kind === 'budget_warning' || notice.kind === 'budget_exceeded'
        ? await this.repository.subjectName(notice.tenantId, notice.scope, notice.subjectId)
        : null;
    let mailed = 0;
    for (const recipient of recipients) {
      if (!(await this.repository.claim(notice.noticeId, recipient.email, notice.tenantId, notice.kind))) continue;
      try {
        await this.mailer.send(
          billingNoticeMail(notice, { to: recipient.email, tenant, publicUrl: this.publicUrl, subject }),
        );
      } catch (error) {
        await this.repository.release(notice.noticeId, recipient.email);
        throw error;
      }
      mailed++;
    }
    this.logger.info(
      { tenantId: notice.tenantId, kind: notice.kind, noticeId: notice.noticeId, mailed, audience: recipients.length },
      'Billing notice mailed',
    );
    return { mailed };
  }
}
