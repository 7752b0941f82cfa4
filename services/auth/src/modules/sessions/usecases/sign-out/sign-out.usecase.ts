import { Injectable } from '@nestjs/common';
import type { SignedOut } from '@parley/contracts';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { EdgeRevocation } from '../../edge-revocation';
import { SessionsRepository } from '../../sessions.repository';
import { SignOutFollowUps } from '../../sign-out-follow-ups';

/**
 * Revokes the session of a verified access token: its refresh tokens stop working, and its access
 * tokens at the edge (revocation set; written again on a retry). Idempotent. A session opened
 * through SAML with single logout answers where the browser goes next (the IdP's logout with our
 * signed LogoutRequest); any other answers nothing.
 */
@Injectable()
export class SignOutUseCase {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    private readonly followUps: SignOutFollowUps,
  ) {}

  async execute(access: VerifiedAccess): Promise<SignedOut | null> {
    await this.sessions.revokeSession(
      { id: access.sessionId, userId: access.userId, tenantId: access.tenantId },
      'sign_out',
    );
    await this.edge.revoke([{ tenantId: access.tenantId, sessionId: access.sessionId }]);
    const idpLogoutUrl = await this.followUps.next({
      tenantId: access.tenantId,
      userId: access.userId,
      sessionId: access.sessionId,
    });
    return idpLogoutUrl === null ? null : { idpLogoutUrl };
  }
}
