import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { BillingNoticesConsumer } from './billing-notices.consumer';
import { BillingNoticesRepository } from './billing-notices.repository';
import { MailBillingNoticeUseCase } from './usecases/mail-billing-notice/mail-billing-notice.usecase';

/** Mails billing's notices (`billing.notice.v1`) to each tenant's owners and billing members, once. */
@Module({
  imports: [MailModule],
  controllers: [BillingNoticesConsumer],
  providers: [BillingNoticesRepository, MailBillingNoticeUseCase],
})
export class BillingNoticesModule {}
