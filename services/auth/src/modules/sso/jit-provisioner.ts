import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '@parley/contracts';
import { AuditTrail } from '../audit/audit-trail';
import { AccountsRepository } from '../accounts/accounts.repository';
import { openMemberSession, type SignedIn } from '../accounts/member-session';
import { seatLimitReached } from '../invites/invite-errors';
import { MembersRepository } from '../members/members.repository';
import { MembershipEvents } from '../members/membership-events';
import { SessionIssuer } from '../sessions/session-issuer';
import { TenantPlansRepository } from '../tenant-plans/tenant-plans.repository';
import type { SsoConnection } from './connections/sso-connections.repository';

/**
 * The password hash of an account created by single sign-on: not an argon2 hash, so no password
 * ever matches it (the account may set one through a password reset).
 */
export const SSO_ONLY_PASSWORD_HASH = '!sso-only';

/** When several groups map to roles, the strongest wins. */
const ROLE_RANK: Readonly<Record<Role, number>> = { owner: 4, admin: 3, billing: 2, member: 1 };

/** Who the IdP says signed in. */
export interface SsoIdentity {
  email: string;
  name: string;
  groups: string[];
}

/** The role a first login gets: the strongest role mapped from the user's groups, else the default. */
export function roleFor(connection: SsoConnection, groups: readonly string[]): Exclude<Role, 'owner'> {
  const mapped = connection.groupRoles.filter((row) => groups.includes(row.group)).map((row) => row.role);
  return mapped.reduce((best, role) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best), connection.defaultRole);
}

/**
 * The role a later login sets, or null to keep the current one: with a group-to-role table the IdP
 * owns the role (each login sets the mapped one, the default for no mapped group); without one,
 * roles are managed in Parley. An owner is never changed by a login.
 */
export function roleFromGroups(connection: SsoConnection, groups: readonly string[], current: Role): Role | null {
  if (current === 'owner' || connection.groupRoles.length === 0) return null;
  const role = roleFor(connection, groups);
  return role === current ? null : role;
}

/**
 * Just-in-time provisioning, then a session: in one transaction under the tenant's lock, the account
 * (created passwordless if the email is new), the membership (created with the mapped role within
 * the plan's seats, 409 `seat_limit_reached`; an existing member's role follows the groups
 * when the connection maps groups, see roleFromGroups) with its `auth.membership-changed.v1` event
 * and its audit entry (`member.added` by the joiner, `member.role-changed` by the platform, `via`
 * the SSO protocol), and a session as sign-in opens one.
 */
@Injectable()
export class JitProvisioner {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly sessions: SessionIssuer,
    private readonly events: MembershipEvents,
    private readonly audit: AuditTrail,
  ) {}

  /** `link` records something with the new session in the same transaction (a SAML login's NameID). */
  async signIn(
    connection: SsoConnection,
    identity: SsoIdentity,
    link?: (manager: EntityManager, sessionId: string) => Promise<void>,
  ): Promise<SignedIn & { provisioned: boolean }> {
    const tenantId = connection.tenantId;
    const existing = await this.accounts.findUserByEmail(identity.email);
    let provisioned = false;
    let changed = false;
    const signedIn = await this.accounts.transaction(async (manager) => {
      await this.tenants.lockTenant(manager, tenantId);
      const user = existing ?? {
        id: randomUUID(),
        email: identity.email,
        name: identity.name,
        passwordHash: SSO_ONLY_PASSWORD_HASH,
      };
      if (!existing) await this.accounts.insertUser(manager, user);
      let membership = await this.accounts.membershipIn(manager, user.id, tenantId);
      const synced = membership ? roleFromGroups(connection, identity.groups, membership.role) : null;
      if (membership && synced) {
        await this.members.setRole(manager, tenantId, user.id, synced);
        await this.events.record(manager, tenantId, user.id, synced);
        await this.audit.record(manager, {
          tenantId,
          actorUserId: null,
          action: 'member.role-changed',
          target: { type: 'member', id: user.id },
          details: { from: membership.role, to: synced, via: `sso:${connection.protocol}` },
        });
        membership = await this.accounts.membershipIn(manager, user.id, tenantId);
        changed = true;
      }
      if (!membership) {
        const { members: limit } = await this.tenants.limitsOf(manager, tenantId);
        if ((await this.members.countMembers(manager, tenantId)) >= limit) throw seatLimitReached(limit);
        const role = roleFor(connection, identity.groups);
        await this.accounts.insertMembership(manager, user.id, tenantId, role);
        await this.events.record(manager, tenantId, user.id, role);
        await this.audit.record(manager, {
          tenantId,
          actorUserId: user.id,
          action: 'member.added',
          target: { type: 'member', id: user.id },
          details: { role, via: `sso:${connection.protocol}` },
        });
        membership = await this.accounts.membershipIn(manager, user.id, tenantId);
        provisioned = true;
        changed = true;
      }
      if (!membership) throw new Error('Membership missing right after it was written');
      const sessionId = randomUUID();
      const opened = await openMemberSession(this.sessions, manager, user, membership, sessionId);
      if (link) await link(manager, sessionId);
      return opened;
    });
    if (changed) this.events.publish();
    return { ...signedIn, provisioned };
  }
}
