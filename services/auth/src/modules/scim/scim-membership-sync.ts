import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RevokedSession } from '@parley/tenancy';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit-trail';
import { seatLimitReached } from '../invites/invite-errors';
import { lastOwner } from '../members/member-errors';
import { MembersRepository } from '../members/members.repository';
import { MembershipEvents } from '../members/membership-events';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TenantPlansRepository } from '../tenant-plans/tenant-plans.repository';
import { ScimRepository, type ScimDirectory } from './scim.repository';

/**
 * Makes a SCIM user's Parley membership match the directory, inside the caller's transaction (after
 * the tenant's lock): active → a member with the role their groups map to (an owner keeps
 * `owner`: owners are managed in Parley), within the plan's member limit; inactive or deleted → no
 * membership, its sessions revoked (the caller hands them to the edge after the commit, so access
 * tokens stop at once). Each change writes `auth.membership-changed.v1` and its audit entry (by
 * `system`, `via` scim) to the outbox.
 */
@Injectable()
export class ScimMembershipSync {
  constructor(
    private readonly scim: ScimRepository,
    private readonly accounts: AccountsRepository,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly sessions: SessionsRepository,
    private readonly events: MembershipEvents,
    private readonly audit: AuditTrail,
  ) {}

  async lock(manager: EntityManager, tenantId: string): Promise<void> {
    await this.tenants.lockTenant(manager, tenantId);
  }

  async apply(
    manager: EntityManager,
    directory: ScimDirectory,
    user: { scimId: string; userId: string; active: boolean },
  ): Promise<RevokedSession[]> {
    const { tenantId } = directory;
    const current = (await this.members.find(manager, tenantId, user.userId))?.role ?? null;
    if (!user.active) return this.remove(manager, tenantId, user.userId, current);
    const wanted = await this.scim.roleFor(manager, tenantId, user.scimId, directory);
    if (current === null) {
      const { members: limit } = await this.tenants.limitsOf(manager, tenantId);
      if ((await this.members.countMembers(manager, tenantId)) >= limit) throw seatLimitReached(limit);
      await this.accounts.insertMembership(manager, user.userId, tenantId, wanted);
      await this.events.record(manager, tenantId, user.userId, wanted);
      await this.record(manager, tenantId, user.userId, 'member.added', { role: wanted });
    } else if (current !== 'owner' && current !== wanted) {
      await this.members.setRole(manager, tenantId, user.userId, wanted);
      await this.events.record(manager, tenantId, user.userId, wanted);
      await this.record(manager, tenantId, user.userId, 'member.role-changed', { from: current, to: wanted });
    }
    return [];
  }

  async remove(
    manager: EntityManager,
    tenantId: string,
    userId: string,
    current?: string | null,
  ): Promise<RevokedSession[]> {
    const role = current === undefined ? ((await this.members.find(manager, tenantId, userId))?.role ?? null) : current;
    if (role === null) return [];
    if (role === 'owner' && (await this.members.countOwners(manager, tenantId)) <= 1) throw lastOwner();
    const revoked = await this.sessions.revokeAllOfMember(manager, { tenantId, userId }, 'sign_out');
    await this.members.remove(manager, tenantId, userId);
    await this.events.record(manager, tenantId, userId, null);
    await this.record(manager, tenantId, userId, 'member.removed', { role });
    return revoked;
  }

  /** The change for the audit log: by the platform (the directory asked), `via` scim. */
  private record(
    manager: EntityManager,
    tenantId: string,
    userId: string,
    action: 'member.added' | 'member.role-changed' | 'member.removed',
    details: Record<string, string>,
  ): Promise<void> {
    return this.audit.record(manager, {
      tenantId,
      actorUserId: null,
      action,
      target: { type: 'member', id: userId },
      details: { ...details, via: 'scim' },
    });
  }

  /** After the commit: the edge learns the revocations, the outbox publishes. */
  publish(): void {
    this.events.publish();
  }
}
