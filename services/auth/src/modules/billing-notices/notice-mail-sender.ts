import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../auth-settings';
import { Mailer } from '../mail/mailer';
import { BillingNoticesRepository, type QueuedNoticeMail } from './billing-notices.repository';

/**
 * Sends one claimed notice mail and records the outcome: `sent`, or queued again after a refusal
 * (MAIL_RETRY_INTERVAL_MS doubling per attempt, at most an hour), or `failed` once it has been
 * refused for MAIL_RETRY_FOR_SECONDS (logged as an error: someone must look at the mail relay).
 */
@Injectable()
export class NoticeMailSender {
  private readonly retry: { retryMs: number; giveUpAfterSeconds: number };

  constructor(
    private readonly repository: BillingNoticesRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const mail = authSettings(config).mail;
    this.retry = { retryMs: mail.retryIntervalMs, giveUpAfterSeconds: mail.retryForSeconds };
  }

  async send(mail: QueuedNoticeMail): Promise<'sent' | 'pending' | 'failed'> {
    try {
      await this.mailer.send(mail.message);
    } catch (error) {
      const status = await this.repository.markRefused(mail.noticeId, mail.email, String(error), this.retry);
      const fields = { err: error, tenantId: mail.tenantId, kind: mail.kind, noticeId: mail.noticeId };
      if (status === 'failed')
        this.logger.error(fields, 'Billing notice mail given up: the mail server kept refusing it');
      else this.logger.warn(fields, 'Billing notice mail not taken by the mail server; queued for a retry');
      return status;
    }
    await this.repository.markSent(mail.noticeId, mail.email);
    return 'sent';
  }
}
