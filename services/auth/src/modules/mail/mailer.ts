import type { MailMessage } from './mail-message';

/**
 * Sends mail, or throws 503 `mail_unavailable` once its bounded retries are spent: a caller always
 * knows whether its mail left. (An abstract class, so it can be a Nest injection token.)
 */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}
