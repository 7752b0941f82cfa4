import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, parseInput, switchOrganizationBodySchema } from '@parley/contracts';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { EdgeRevocation } from '../../../sessions/edge-revocation';
import { SessionIssuer } from '../../../sessions/session-issuer';
import { SessionsRepository } from '../../../sessions/sessions.repository';
import { SsoPasswordGate } from '../../../sso/enforcement/sso-password-gate';
import { AccountsRepository } from '../../accounts.repository';
import { openMemberSession, type SignedIn } from '../../member-session';

/**
 * Switch organisation: a new session for the same person in another organisation they belong to
 * (named by its slug), then the current session is signed out (its refresh and access tokens stop
 * working). An organisation they do not belong to is 404 `not_found`, as one that does not exist.
 */
@Injectable()
export class SwitchOrganizationUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly issuer: SessionIssuer,
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    private readonly ssoGate: SsoPasswordGate,
  ) {}

  async execute(access: VerifiedAccess, body: unknown): Promise<SignedIn> {
    const { tenantSlug } = parseInput(switchOrganizationBodySchema, body, 'body');
    const view = await this.accounts.sessionView(access.sessionId, access.userId, access.tenantId);
    if (!view || view.revoked) throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    const membership = (await this.accounts.membershipsOf(access.userId)).find((m) => m.slug === tenantSlug);
    if (!membership) throw new DomainException(ErrorCode.NotFound, 'No such organisation among yours');
    // Into an organisation that requires single sign-on, only through its IdP.
    await this.ssoGate.assertPasswordAllowed(membership.tenantId, access.userId);
    const signedIn = await this.accounts.transaction((manager) =>
      openMemberSession(this.issuer, manager, view.user, membership),
    );
    await this.sessions.revokeSession(
      { id: access.sessionId, userId: access.userId, tenantId: access.tenantId },
      'sign_out',
    );
    await this.edge.revoke([{ tenantId: access.tenantId, sessionId: access.sessionId }]);
    return signedIn;
  }
}
