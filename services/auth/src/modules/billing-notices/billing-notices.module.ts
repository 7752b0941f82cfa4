import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { BillingNoticesConsumer } from './billing-notices.consumer';
import { BillingNoticesRepository } from './billing-notices.repository';
import { NoticeMailRetryJob } from './notice-mail-retry.job';
import { NoticeMailSender } from './notice-mail-sender';
import { MailBillingNoticeUseCase } from './usecases/mail-billing-notice/mail-billing-notice.usecase';

/**
 * Mails billing's notices (`billing.notice.v1`) to each tenant's owners and billing members, once;
 * what the mail server does not take is queued and retried (NoticeMailRetryJob).
 */
@Module({
  imports: [MailModule],
  controllers: [BillingNoticesConsumer],
  providers: [BillingNoticesRepository, MailBillingNoticeUseCase, NoticeMailSender, NoticeMailRetryJob],
})
export class BillingNoticesModule {}
