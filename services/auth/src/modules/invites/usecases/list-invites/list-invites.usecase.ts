import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { InvitesRepository, type InviteView } from '../../invites.repository';
import type { ListInvitesCommand } from './list-invites.command';

/** Open invites of the tenant (sent, not accepted, revoked or expired), for owners and admins. */
@Injectable()
export class ListInvitesUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly invites: InvitesRepository,
  ) {}

  async execute(command: ListInvitesCommand): Promise<{ invites: InviteView[] }> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'invites.manage');
    return { invites: await this.invites.listOutstanding(command.tenantId) };
  }
}
