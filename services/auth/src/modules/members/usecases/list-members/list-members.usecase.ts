import { Injectable } from '@nestjs/common';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertPermitted } from '../../../authorization/permissions';
import { MembersRepository, type MemberView } from '../../members.repository';
import type { ListMembersCommand } from './list-members.command';

/** Any member of a tenant sees who else is in it, with their roles. */
@Injectable()
export class ListMembersUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly members: MembersRepository,
  ) {}

  async execute(command: ListMembersCommand): Promise<{ members: MemberView[] }> {
    const actor = await this.actors.resolve(command);
    assertPermitted(actor.role, 'members.read');
    return { members: await this.members.list(command.tenantId) };
  }
}
