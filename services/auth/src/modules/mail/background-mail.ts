import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import type { MailMessage } from './mail-message';
import { Mailer } from './mailer';

export interface DeliveryHooks {
  /** After the server took the message. */
  sent(): Promise<void>;
  /** After the retries are spent: undo what the mail was for (the failure is logged at error level). */
  failed(): Promise<void>;
}

/**
 * Mail sent after the caller has its answer, for routes whose answer must not depend on the mail
 * (password reset answers 202 whether or not the account exists). Never silent: the outcome runs a
 * hook and a failure is logged; shutdown waits for deliveries in flight.
 */
@Injectable()
export class BackgroundMail implements BeforeApplicationShutdown {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  send(message: MailMessage, hooks: DeliveryHooks, what: string): void {
    const delivery = this.deliver(message, hooks, what).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(message: MailMessage, hooks: DeliveryHooks, what: string): Promise<void> {
    try {
      await this.mailer.send(message);
    } catch (error) {
      this.logger.error({ err: error, mail: what }, 'Mail could not be sent after retries; its token is withdrawn');
      await hooks.failed().catch((undo: unknown) => this.logger.error({ err: undo, mail: what }, 'Withdrawal failed'));
      return;
    }
    await hooks
      .sent()
      .catch((error: unknown) => this.logger.error({ err: error, mail: what }, 'Mail sent, not marked'));
  }
}
