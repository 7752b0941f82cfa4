import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { openMemberSession, type SignedIn } from '../../accounts/member-session';
import { SessionIssuer } from '../../sessions/session-issuer';
import { SsoPasswordGate } from '../enforcement/sso-password-gate';

/** A refusal of social sign-in the browser is sent back to the sign-in page with. */
export function socialRefusal(reason: 'account_not_found' | 'email_unverified' | 'email_missing', message: string) {
  return new DomainException(ErrorCode.SsoLoginRejected, message, {
    reason,
    redirectTo: `/sign-in?sso_error=${reason}`,
  });
}

/**
 * A session for the person a social provider vouches for (a verified email): they must already
 * have a Parley account with it (social sign-in proves the email as a password would; it creates
 * neither accounts nor organisations). The session opens in their oldest organisation that does
 * not require its own single sign-on; when each of them requires it, 403 `sso_required` as for a
 * password.
 */
@Injectable()
export class SocialSignIn {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionIssuer,
    private readonly ssoGate: SsoPasswordGate,
  ) {}

  async signIn(email: string): Promise<SignedIn> {
    const user = await this.accounts.findUserByEmail(email);
    if (!user) throw socialRefusal('account_not_found', 'No account uses this email');
    let refusal: unknown = socialRefusal('account_not_found', 'The account belongs to no organisation');
    for (const membership of await this.accounts.membershipsOf(user.id)) {
      try {
        await this.ssoGate.assertPasswordAllowed(membership.tenantId, user.id);
      } catch (error) {
        if (!(error instanceof DomainException) || error.code !== ErrorCode.SsoRequired) throw error;
        refusal = error;
        continue;
      }
      return this.accounts.transaction((manager) => openMemberSession(this.sessions, manager, user, membership));
    }
    throw refusal;
  }
}
