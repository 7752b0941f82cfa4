import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import type { BillingNotice } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../auth-settings';
import { billingNoticeMail } from '../../billing-notice-mail';
import { BillingNoticesRepository } from '../../billing-notices.repository';
import { NoticeMailSender } from '../../notice-mail-sender';

/**
 * `billing.notice.v1` → one mail to each owner and billing member of the tenant:
 * 1. find the audience (owners and the `billing` role, with their addresses) and, for a budget,
 *    whom it caps (the member's name, the API key's name);
 * 2. for each address, claim (notice id, address) with the message — an address already claimed
 *    for this notice is skipped, so a redelivery, a re-publication or a second replica never mails
 *    twice;
 * 3. send; a mail the server does not take (after the mailer's retries) stays queued and the retry
 *    pass sends it later (NoticeMailRetryJob): a mail-server outage delays notices, never drops them.
 */
@Injectable()
export class MailBillingNoticeUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly repository: BillingNoticesRepository,
    private readonly sender: NoticeMailSender,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(notice: BillingNotice): Promise<{ mailed: number; queued: number }> {
    const { tenant, recipients } = await this.repository.audience(notice.tenantId);
    const subject =
      notice.kind === 'budget_warning' || notice.kind === 'budget_exceeded'
        ? await this.repository.subjectName(notice.tenantId, notice.scope, notice.subjectId)
        : null;
    let mailed = 0;
    let queued = 0;
    for (const recipient of recipients) {
      const claim = { noticeId: notice.noticeId, email: recipient.email, tenantId: notice.tenantId, kind: notice.kind };
      const message = billingNoticeMail(notice, { to: recipient.email, tenant, publicUrl: this.publicUrl, subject });
      if (!(await this.repository.claim(claim, message))) continue;
      if ((await this.sender.send({ ...claim, message })) === 'sent') mailed++;
      else queued++;
    }
    this.logger.info(
      {
        tenantId: notice.tenantId,
        kind: notice.kind,
        noticeId: notice.noticeId,
        mailed,
        queued,
        audience: recipients.length,
      },
      'Billing notice mailed',
    );
    return { mailed, queued };
  }
}
