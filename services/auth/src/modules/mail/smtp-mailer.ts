import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../auth-settings';
import type { MailMessage } from './mail-message';
import { Mailer } from './mailer';

/** First pause between attempts; it doubles each time. */
const RETRY_BASE_MS = 200;

interface SendError {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  message?: string;
}

/**
 * The SMTP adapter (nodemailer, one connection per message). A transient failure (connection
 * refused, timeout, 4xx) is retried `MAIL_SEND_ATTEMPTS` times in all with backoff; a permanent
 * rejection (5xx) is not retried. Either way the caller then gets `mail_unavailable`.
 */
@Injectable()
export class SmtpMailer extends Mailer implements OnApplicationShutdown {
  private readonly transport;
  private readonly attempts: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    const mail = authSettings(config).mail;
    this.attempts = mail.sendAttempts;
    this.transport = createTransport(
      {
        url: mail.smtpUrl,
        connectionTimeout: mail.timeoutMs,
        greetingTimeout: mail.timeoutMs,
        socketTimeout: mail.timeoutMs,
        disableFileAccess: true,
        disableUrlAccess: true,
      },
      { from: mail.from },
    );
  }

  async send(message: MailMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport.sendMail({ to: message.to, subject: message.subject, text: message.text });
        return;
      } catch (error) {
        const failure = error as SendError;
        const last = attempt >= this.attempts || failure.permanent === true;
        this.logger.warn(
          { attempt, of: this.attempts, code: failure.code, responseCode: failure.responseCode, final: last },
          'Mail could not be sent',
        );
        if (last) {
          throw new DomainException(
            ErrorCode.MailUnavailable,
            'The mail server did not take the message; try again later',
            undefined,
            true,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
