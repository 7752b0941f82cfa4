import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { sha256 } from '../../../../common/opaque-token';
import { AccountsRepository } from '../../../accounts/accounts.repository';
import { PasswordHasher } from '../../../accounts/password-hasher';
import { SignInLockout } from '../../../lockout/sign-in-lockout';
import { EdgeRevocation } from '../../../sessions/edge-revocation';
import { SessionsRepository } from '../../../sessions/sessions.repository';
import { PasswordResetRepository } from '../../password-reset.repository';
import { resetTokenExpired, resetTokenInvalid } from '../../reset-errors';
import type { ConfirmPasswordResetCommand } from './confirm-password-reset.command';

/**
 * Sets the new password (argon2id) with a single-use token; in the same transaction every open reset
 * token of the user is used up and every session of the user, in every tenant, is revoked. The
 * account's failed sign-in count is cleared: its owner just proved control of the mailbox.
 */
@Injectable()
export class ConfirmPasswordResetUseCase {
  constructor(
    private readonly resets: PasswordResetRepository,
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    private readonly lockout: SignInLockout,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: ConfirmPasswordResetCommand): Promise<void> {
    const passwordHash = await this.passwords.hash(command.password);
    const { userId, email, revoked } = await this.resets.transaction(async (manager) => {
      const state = await this.resets.lock(manager, sha256(command.token));
      if (!state || !state.usable) throw resetTokenInvalid();
      if (state.expired) throw resetTokenExpired();
      await this.accounts.setPasswordHash(manager, state.userId, passwordHash);
      await this.resets.useAllOf(manager, state.userId);
      const revoked = await this.sessions.revokeAllOfUser(manager, state.userId, 'password_reset');
      return { userId: state.userId, email: state.email, revoked };
    });
    await this.lockout.clearAccount(email).catch(() => undefined); // best effort: the window clears it anyway
    await this.edge.revoke(revoked);
    this.logger.info({ userId, revokedSessions: revoked.length }, 'Password reset');
  }
}
