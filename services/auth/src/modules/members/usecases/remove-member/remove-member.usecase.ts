import { AuditTrail } from '../../../audit/audit-trail';
import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { assertMayChangeRole } from '../../../authorization/permissions';
import { EdgeRevocation } from '../../../sessions/edge-revocation';
import { SessionsRepository } from '../../../sessions/sessions.repository';
import { lastOwner } from '../../member-errors';
import { MemberTarget } from '../../member-target';
import { MembersRepository } from '../../members.repository';
import { MembershipEvents } from '../../membership-events';
import type { RemoveMemberCommand } from './remove-member.command';

/**
 * Owners and admins remove members (only an owner removes an owner; never the last one). The
 * membership's sessions and refresh tokens are deleted with it, so the member's refresh tokens stop
 * working at once, and their access tokens at the edge too (revocation set), at the next request.
 */
@Injectable()
export class RemoveMemberUseCase {
  constructor(
    private readonly target: MemberTarget,
    private readonly members: MembersRepository,
    private readonly events: MembershipEvents,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RemoveMemberCommand): Promise<void> {
    const revoked = await this.members.transaction(async (manager) => {
      const { actorRole, member } = await this.target.lock(manager, command);
      assertMayChangeRole(actorRole, member.role, undefined);
      if (member.role === 'owner' && (await this.members.countOwners(manager, command.tenantId)) <= 1) {
        throw lastOwner();
      }
      const sessions = await this.sessions.revokeAllOfMember(manager, command, 'sign_out');
      await this.members.remove(manager, command.tenantId, command.userId);
      await this.events.record(manager, command.tenantId, command.userId, null);
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: command.actor.userId,
        action: 'member.removed',
        target: { type: 'member', id: command.userId },
        details: { role: member.role },
      });
      return sessions;
    });
    this.events.publish();
    await this.edge.revoke(revoked);
    this.logger.info({ tenantId: command.tenantId, removedUserId: command.userId }, 'Member removed');
  }
}
