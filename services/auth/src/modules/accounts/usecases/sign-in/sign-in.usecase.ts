import { Injectable } from '@nestjs/common';
import { SessionIssuer } from '../../../sessions/session-issuer';
import { SsoPasswordGate } from '../../../sso/enforcement/sso-password-gate';
import { AccountsRepository } from '../../accounts.repository';
import { CredentialChecker, invalidCredentials } from '../../credential-checker';
import { openMemberSession, type SignedIn } from '../../member-session';
import type { SignInCommand } from './sign-in.command';

/**
 * Email and password, then a session in one of the user's tenants: the one named by slug, or the
 * oldest membership. Unknown email, wrong password and a tenant the user is not a member of all get
 * the same answer, and an unknown email costs the same argon2 work as a known one. Repeated failures
 * per account and per client address are refused for a while (429 `too_many_attempts`). An
 * organisation that requires single sign-on refuses the password (403 `sso_required`, after the
 * password was checked, so it tells nothing to someone without it) unless the person is one of its
 * break-glass owners.
 */
@Injectable()
export class SignInUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialChecker,
    private readonly sessions: SessionIssuer,
    private readonly ssoGate: SsoPasswordGate,
  ) {}

  async execute(command: SignInCommand): Promise<SignedIn> {
    const user = await this.credentials.check(command.email, command.password, command.clientIp);
    const memberships = await this.accounts.membershipsOf(user.id);
    const membership = command.tenantSlug ? memberships.find((m) => m.slug === command.tenantSlug) : memberships[0];
    if (!membership) throw invalidCredentials();
    await this.ssoGate.assertPasswordAllowed(membership.tenantId, user.id);
    return this.accounts.transaction((manager) => openMemberSession(this.sessions, manager, user, membership));
  }
}
