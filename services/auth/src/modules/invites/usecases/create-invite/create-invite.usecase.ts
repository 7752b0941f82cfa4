import { AuditTrail } from '../../../audit/audit-trail';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings, type AuthSettings } from '../../../../auth-settings';
import { newOpaqueToken } from '../../../../common/opaque-token';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertMayChangeRole, assertPermitted } from '../../../authorization/permissions';
import { Mailer } from '../../../mail/mailer';
import { MembersRepository } from '../../../members/members.repository';
import { TenantPlansRepository } from '../../../tenant-plans/tenant-plans.repository';
import { memberLimitReached } from '../../invite-errors';
import { INVITE_TOKEN_PREFIX, inviteMail } from '../../invite-mail';
import { InvitesRepository, type InviteView } from '../../invites.repository';
import type { CreateInviteCommand } from './create-invite.command';

/**
 * Owners and admins invite an email (only an owner invites an owner), within the plan's member
 * limit (members plus outstanding invites). The invite is written unusable, its mail is sent (with
 * retries), then it becomes usable; if the mail cannot be sent, the invite is deleted and the caller
 * gets 503 `mail_unavailable`. So an invite is usable only if its mail left, and a caller who got
 * 201 knows it did.
 */
@Injectable()
export class CreateInviteUseCase {
  private readonly settings: AuthSettings;

  constructor(
    private readonly actors: ActorResolver,
    private readonly invites: InvitesRepository,
    private readonly audit: AuditTrail,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = authSettings(config);
  }

  async execute(command: CreateInviteCommand): Promise<InviteView> {
    const token = newOpaqueToken(INVITE_TOKEN_PREFIX);
    const { invite, names } = await this.invites.transaction(async (manager) => {
      await this.tenants.lockTenant(manager, command.tenantId);
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'invites.manage');
      assertMayChangeRole(actor.role, undefined, command.role);
      if (await this.invites.isMember(manager, command.tenantId, command.email)) {
        throw new DomainException(ErrorCode.AlreadyMember, 'This email is already a member of the tenant');
      }
      const { members: limit } = await this.tenants.limitsOf(manager, command.tenantId);
      const seats =
        (await this.members.countMembers(manager, command.tenantId)) +
        (await this.invites.countOutstandingEmails(manager, command.tenantId, command.email));
      if (seats >= limit) throw memberLimitReached(limit);
      const created = await this.invites.insert(manager, {
        id: randomUUID(),
        tenantId: command.tenantId,
        email: command.email,
        role: command.role,
        hash: token.hash,
        invitedBy: actor.userId,
        ttlSeconds: this.settings.inviteTtlSeconds,
      });
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'invite.created',
        target: { type: 'invite', id: created.id },
        details: { role: command.role },
      });
      return { invite: created, names: await this.invites.mailContext(manager, command.tenantId, actor.userId) };
    });
    await this.sendOrWithdraw(invite, token.token, names);
    await this.invites.markSent(command.tenantId, invite.id, invite.email);
    this.logger.info({ tenantId: command.tenantId, inviteId: invite.id }, 'Invite sent');
    return invite;
  }

  private async sendOrWithdraw(invite: InviteView, token: string, names: { tenant: string; inviter: string }) {
    const message = inviteMail({
      to: invite.email,
      tenant: names.tenant,
      inviter: names.inviter,
      role: invite.role,
      publicUrl: this.settings.publicUrl,
      token,
      expiresAt: invite.expiresAt,
    });
    try {
      await this.mailer.send(message);
    } catch (error) {
      await this.invites.delete(invite.id);
      if (!(error instanceof DomainException) || error.code !== ErrorCode.MailUnavailable) throw error;
      throw new DomainException(
        ErrorCode.MailUnavailable,
        'The invite mail could not be sent, so no invite was made; try again later',
        undefined,
        true,
      );
    }
  }
}
