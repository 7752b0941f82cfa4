import { Injectable } from '@nestjs/common';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { EdgeRevocation } from '../../edge-revocation';
import { SessionsRepository } from '../../sessions.repository';

/**
 * Revokes the session of a verified access token: its refresh tokens stop working, and its access
 * tokens at the edge (revocation set; written again on a retry). Idempotent.
 */
@Injectable()
export class SignOutUseCase {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
  ) {}

  async execute(access: VerifiedAccess): Promise<void> {
    await this.sessions.revokeSession(
      { id: access.sessionId, userId: access.userId, tenantId: access.tenantId },
      'sign_out',
    );
    await this.edge.revoke([{ tenantId: access.tenantId, sessionId: access.sessionId }]);
  }
}
