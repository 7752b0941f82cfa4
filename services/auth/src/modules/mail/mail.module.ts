import { Module } from '@nestjs/common';
import { BackgroundMail } from './background-mail';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp-mailer';

/** Outgoing mail through SMTP (`SMTP_URL`); locally and in tests, the SMTP sink in `testing/`. */
@Module({
  providers: [{ provide: Mailer, useClass: SmtpMailer }, BackgroundMail],
  exports: [Mailer, BackgroundMail],
})
export class MailModule {}
