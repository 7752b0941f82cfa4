import { AuditTrail } from '../../../audit/audit-trail';
import { Injectable } from '@nestjs/common';
import { assertMayChangeRole } from '../../../authorization/permissions';
import { lastOwner } from '../../member-errors';
import { MemberTarget } from '../../member-target';
import { MembershipEvents } from '../../membership-events';
import { MembersRepository, type MemberView } from '../../members.repository';
import type { ChangeMemberRoleCommand } from './change-member-role.command';

/**
 * Owners and admins change roles; only an owner grants or takes away `owner`, and the last owner
 * stays one (409 `last_owner`). Under the tenant's lock, so two demotions cannot both pass the
 * check. `auth.membership-changed.v1` goes out with it: the member's next request has the new role.
 */
@Injectable()
export class ChangeMemberRoleUseCase {
  constructor(
    private readonly target: MemberTarget,
    private readonly members: MembersRepository,
    private readonly events: MembershipEvents,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: ChangeMemberRoleCommand): Promise<MemberView> {
    const changed = await this.members.transaction(async (manager) => {
      const { actorRole, member } = await this.target.lock(manager, command);
      assertMayChangeRole(actorRole, member.role, command.role);
      if (member.role === command.role) return member;
      if (member.role === 'owner' && (await this.members.countOwners(manager, command.tenantId)) <= 1) {
        throw lastOwner();
      }
      await this.members.setRole(manager, command.tenantId, command.userId, command.role);
      await this.events.record(manager, command.tenantId, command.userId, command.role);
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: command.actor.userId,
        action: 'member.role-changed',
        target: { type: 'member', id: command.userId },
        details: { from: member.role, to: command.role },
      });
      return { ...member, role: command.role };
    });
    this.events.publish();
    return changed;
  }
}
