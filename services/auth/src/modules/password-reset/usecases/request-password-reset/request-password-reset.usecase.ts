import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { authSettings, type AuthSettings } from '../../../../auth-settings';
import { newOpaqueToken } from '../../../../common/opaque-token';
import { AccountsRepository } from '../../../accounts/accounts.repository';
import { BackgroundMail } from '../../../mail/background-mail';
import { passwordResetMail, RESET_TOKEN_PREFIX } from '../../password-reset-mail';
import { PasswordResetRepository } from '../../password-reset.repository';
import type { RequestPasswordResetCommand } from './request-password-reset.command';

/** One reset mail per account per this many seconds, so the route cannot flood a mailbox. */
const MAIL_INTERVAL_SECONDS = 60;

/**
 * Answers the same (202) whether or not the account exists. For an existing account, a single-use
 * token (stored as sha256, unusable until its mail is sent) is mailed after the answer, with
 * retries; if the mail cannot be sent, the token is deleted and the failure logged at error level.
 */
@Injectable()
export class RequestPasswordResetUseCase {
  private readonly settings: AuthSettings;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly resets: PasswordResetRepository,
    private readonly mail: BackgroundMail,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = authSettings(config);
  }

  async execute(command: RequestPasswordResetCommand): Promise<void> {
    const user = await this.accounts.findUserByEmail(command.email);
    if (!user || !(await this.mayMail(command.email))) return;
    const { token, hash } = newOpaqueToken(RESET_TOKEN_PREFIX);
    const ttl = this.settings.passwordResetTtlSeconds;
    await this.resets.insert(user.id, hash, ttl);
    const message = passwordResetMail({
      to: user.email,
      publicUrl: this.settings.publicUrl,
      token,
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
    });
    this.mail.send(
      message,
      { sent: () => this.resets.markSent(hash), failed: () => this.resets.delete(hash) },
      'reset',
    );
  }

  /** Throttle per account; if Redis cannot say, the mail goes (a reset must stay possible). */
  private async mayMail(email: string): Promise<boolean> {
    const key = `platform:auth:reset-mail:${createHash('sha256').update(email).digest('hex')}`;
    try {
      return (await this.redis.set(key, '1', 'EX', MAIL_INTERVAL_SECONDS, 'NX')) === 'OK';
    } catch (error) {
      this.logger.warn({ err: error }, 'Password-reset throttle unavailable; sending anyway');
      return true;
    }
  }
}
