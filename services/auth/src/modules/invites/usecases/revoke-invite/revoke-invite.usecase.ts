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
  ) {}

  async execute(command: RevokeInviteCommand): Promise<void> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'invites.manage');
    if (!(await this.invites.revoke(command.tenantId, command.inviteId))) throw inviteNotFound();
  }
}
