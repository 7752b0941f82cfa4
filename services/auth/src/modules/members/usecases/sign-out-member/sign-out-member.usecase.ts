import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { AuditTrail } from '../../../audit/audit-trail';
import { assertMayChangeRole } from '../../../authorization/permissions';
import { EdgeRevocation } from '../../../sessions/edge-revocation';
import { SessionsRepository } from '../../../sessions/sessions.repository';
import { MemberTarget } from '../../member-target';
import { MembersRepository } from '../../members.repository';
import type { SignOutMemberCommand } from './sign-out-member.command';

/**
 * "Sign out everywhere" for a member: owners and admins (only an owner for an owner) revoke every
 * live session of that member in their tenant. Refresh tokens stop at once (database), access
 * tokens at once at the edge (revocation set), open WebSockets close. A member cannot (403). Recorded
 * for the audit log (`member.signed-out`) in the same transaction.
 */
@Injectable()
export class SignOutMemberUseCase {
  constructor(
    private readonly target: MemberTarget,
    private readonly members: MembersRepository,
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: SignOutMemberCommand): Promise<void> {
    const revoked = await this.members.transaction(async (manager) => {
      const { actorRole, member } = await this.target.lock(manager, command);
      assertMayChangeRole(actorRole, member.role, undefined);
      const sessions = await this.sessions.revokeAllOfMember(
        manager,
        { tenantId: command.tenantId, userId: command.userId },
        'sign_out',
      );
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: command.actor.userId,
        action: 'member.signed-out',
        target: { type: 'member', id: command.userId },
        details: { sessions: sessions.length },
      });
      return sessions;
    });
    await this.edge.revoke(revoked);
    this.logger.info(
      { tenantId: command.tenantId, signedOutUserId: command.userId, revokedSessions: revoked.length },
      'Member signed out everywhere',
    );
  }
}
