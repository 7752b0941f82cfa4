import { AuditTrail } from '../../../audit/audit-trail';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { sha256 } from '../../../../common/opaque-token';
import { AccountsRepository, type UserRecord } from '../../../accounts/accounts.repository';
import { CredentialChecker } from '../../../accounts/credential-checker';
import { PasswordHasher } from '../../../accounts/password-hasher';
import { openMemberSession, type SignedIn } from '../../../accounts/member-session';
import { SsoPasswordGate } from '../../../sso/enforcement/sso-password-gate';
import { MembersRepository } from '../../../members/members.repository';
import { MembershipEvents } from '../../../members/membership-events';
import { SessionIssuer } from '../../../sessions/session-issuer';
import { TenantPlansRepository } from '../../../tenant-plans/tenant-plans.repository';
import { inviteExpired, inviteInvalid, memberLimitReached } from '../../invite-errors';
import { InvitesRepository, type InviteByToken } from '../../invites.repository';
import type { AcceptInviteCommand } from './accept-invite.command';

/** A new account's password, as sign-up requires it. */
const MIN_NEW_PASSWORD = 10;

type Joiner = { existing: UserRecord } | { created: UserRecord };

/**
 * Joins the invited email to the tenant with the invited role and signs it in. A new email gets an
 * account (name and password required); an existing account proves itself with its password (under
 * the sign-in lockout). In one transaction, under the tenant's lock: the invite is re-checked and
 * consumed, the member limit checked, the membership and a session written, so a token is used once.
 */
@Injectable()
export class AcceptInviteUseCase {
  constructor(
    private readonly invites: InvitesRepository,
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialChecker,
    private readonly passwords: PasswordHasher,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly sessions: SessionIssuer,
    private readonly events: MembershipEvents,
    private readonly audit: AuditTrail,
    private readonly ssoGate: SsoPasswordGate,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: AcceptInviteCommand): Promise<SignedIn> {
    const hash = sha256(command.token);
    const seen = usable(await this.invites.findByToken(hash));
    // An organisation that requires single sign-on takes its people through its IdP (JIT), not a password.
    await this.ssoGate.assertPasswordAllowed(seen.tenantId, null);
    const joiner = await this.joiner(seen.email, command);
    const user = 'existing' in joiner ? joiner.existing : joiner.created;
    const signedIn = await this.invites.transaction(async (manager) => {
      await this.tenants.lockTenant(manager, seen.tenantId);
      const invite = usable(await this.invites.findByToken(hash, manager));
      if ('created' in joiner) await this.accounts.insertUser(manager, joiner.created);
      else if (await this.accounts.membershipIn(manager, user.id, invite.tenantId)) {
        throw new DomainException(ErrorCode.AlreadyMember, 'You are already a member of this tenant: sign in');
      }
      await this.join(manager, invite, user.id);
      await this.events.record(manager, invite.tenantId, user.id, invite.role);
      await this.audit.record(manager, {
        tenantId: invite.tenantId,
        actorUserId: user.id,
        action: 'member.added',
        target: { type: 'member', id: user.id },
        details: { role: invite.role, via: 'invite', inviteId: invite.id },
      });
      return this.signIn(manager, invite, user);
    });
    this.events.publish();
    this.logger.info({ tenantId: seen.tenantId, userId: user.id, newUser: 'created' in joiner }, 'Invite accepted');
    return signedIn;
  }

  /** The account that joins: checked before the transaction, since argon2 is slow. */
  private async joiner(email: string, command: AcceptInviteCommand): Promise<Joiner> {
    if (await this.accounts.findUserByEmail(email)) {
      return { existing: await this.credentials.check(email, command.password, command.clientIp) };
    }
    if (!command.name || command.password.length < MIN_NEW_PASSWORD) {
      throw new DomainException(ErrorCode.ValidationFailed, 'A new account needs a name and a password', {
        issues: [
          ...(command.name ? [] : ['name: is required for a new account']),
          ...(command.password.length < MIN_NEW_PASSWORD ? ['password: must be 10 to 256 characters'] : []),
        ],
      });
    }
    const passwordHash = await this.passwords.hash(command.password);
    return { created: { id: randomUUID(), email, name: command.name, passwordHash } };
  }

  private async join(manager: EntityManager, invite: InviteByToken, userId: string): Promise<void> {
    const { members: limit } = await this.tenants.limitsOf(manager, invite.tenantId);
    if ((await this.members.countMembers(manager, invite.tenantId)) >= limit) throw memberLimitReached(limit);
    await this.accounts.insertMembership(manager, userId, invite.tenantId, invite.role);
    await this.invites.markAccepted(manager, invite, userId);
  }

  private async signIn(manager: EntityManager, invite: InviteByToken, user: UserRecord): Promise<SignedIn> {
    const membership = await this.accounts.membershipIn(manager, user.id, invite.tenantId);
    if (!membership) throw new Error('Membership missing right after it was written');
    return openMemberSession(this.sessions, manager, user, membership);
  }
}

function usable(invite: InviteByToken | null): InviteByToken {
  if (!invite || !invite.usable) throw inviteInvalid();
  if (invite.expired) throw inviteExpired();
  return invite;
}
