import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RevokedSession } from '@parley/tenancy';
import { AccountsRepository } from '../accounts/accounts.repository';
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
 * tokens stop at once). Each change writes `auth.membership-changed.v1` to the outbox.
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
    } else if (current !== 'owner' && current !== wanted) {
      await this.members.setRole(manager, tenantId, user.userId, wanted);
      await this.events.record(manager, tenantId, user.userId, wanted);
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
    return revoked;
  }

  /** After the commit: the edge learns the revocations, the outbox publishes. */
  publish(): void {
    this.events.publish();
  }
}
