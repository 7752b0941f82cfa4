import { AuditTrail } from '../../../audit/audit-trail';
import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { inviteNotFound } from '../../invite-errors';
import { InvitesRepository } from '../../invites.repository';
import type { RevokeInviteCommand } from './revoke-invite.command';

/** Withdraws an open invite: its link answers `invite_invalid` from now on. Another tenant's is 404. */
@Injectable()
export class RevokeInviteUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly invites: InvitesRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: RevokeInviteCommand): Promise<void> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'invites.manage');
    const outcome = await this.invites.transaction(async (manager) => {
      const result = await this.invites.revoke(manager, command.tenantId, command.inviteId);
      if (result === 'revoked') {
        await this.audit.record(manager, {
          tenantId: command.tenantId,
          actorUserId: actor.userId,
          action: 'invite.revoked',
          target: { type: 'invite', id: command.inviteId },
        });
      }
      return result;
    });
    if (outcome === 'missing') throw inviteNotFound();
  }
}
