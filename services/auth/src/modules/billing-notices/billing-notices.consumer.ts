import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { BillingNoticeV1, type MessageOf } from '@parley/contracts';
import { MailBillingNoticeUseCase } from './usecases/mail-billing-notice/mail-billing-notice.usecase';

/** Kafka edge: billing's notices (budget alerts, a failed payment, a trial ending) mailed to the people of billing. */
@Controller()
export class BillingNoticesConsumer {
  constructor(private readonly mailNotice: MailBillingNoticeUseCase) {}

  @OnEvent(BillingNoticeV1)
  async onNotice(@Payload() notice: MessageOf<typeof BillingNoticeV1>): Promise<void> {
    await this.mailNotice.execute(notice);
  }
}
