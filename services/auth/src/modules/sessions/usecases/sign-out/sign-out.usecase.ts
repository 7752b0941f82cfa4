import { Injectable } from '@nestjs/common';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { SessionsRepository } from '../../sessions.repository';

/** Revokes the session of a verified access token: its refresh tokens stop working. Idempotent. */
@Injectable()
export class SignOutUseCase {
  constructor(private readonly sessions: SessionsRepository) {}

  async execute(access: VerifiedAccess): Promise<void> {
    await this.sessions.revokeSession(
      { id: access.sessionId, userId: access.userId, tenantId: access.tenantId },
      'sign_out',
    );
  }
}
