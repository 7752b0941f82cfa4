import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { authSettings } from '../../auth-settings';
import { BillingNoticesRepository } from './billing-notices.repository';
import { NoticeMailSender } from './notice-mail-sender';

/** Most queued mails sent per pass (the rest wait for the next one). */
const BATCH = 20;

/** Every MAIL_RETRY_INTERVAL_MS, on each replica: the queued notice mails that are due, sent again. */
@Injectable()
export class NoticeMailRetryJob extends RepeatingPass {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
    private readonly repository: BillingNoticesRepository,
    private readonly sender: NoticeMailSender,
  ) {
    super(authSettings(config).mail.retryIntervalMs, logger, 'Notice mail retry pass failed; will retry');
  }

  protected async pass(): Promise<number> {
    const due = await this.repository.takeDue(BATCH);
    for (const mail of due) await this.sender.send(mail);
    return due.length;
  }
}
