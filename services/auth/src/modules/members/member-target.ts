import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../access-tokens/access-token.claims';
import { ActorResolver } from '../authorization/actor-resolver';
import { assertMayChangeRole } from '../authorization/permissions';
import type { TenantCommand } from '../authorization/tenant-command';
import { TenantPlansRepository } from '../tenant-plans/tenant-plans.repository';
import { memberNotFound } from './member-errors';
import { MembersRepository, type MemberView } from './members.repository';

/**
 * The first steps of every change an admin makes to a member (role, removal, sign-out), inside the
 * change's transaction: the tenant is locked, the caller's current role must allow managing members
 * at all (403 otherwise), and the member must exist (404). Each change then checks what it may do to
 * this member with `assertMayChangeRole(actorRole, member.role, …)`.
 */
@Injectable()
export class MemberTarget {
  constructor(
    private readonly actors: ActorResolver,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
  ) {}

  async lock(
    manager: EntityManager,
    command: TenantCommand & { userId: string },
  ): Promise<{ actorRole: Role; member: MemberView }> {
    await this.tenants.lockTenant(manager, command.tenantId);
    const actor = await this.actors.resolve(command, manager);
    assertMayChangeRole(actor.role, undefined, undefined);
    const member = await this.members.find(manager, command.tenantId, command.userId);
    if (!member) throw memberNotFound();
    return { actorRole: actor.role, member };
  }
}
