import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { ActorResolver } from '../../../authorization/actor-resolver';
import { assertMayChangeRole } from '../../../authorization/permissions';
import { EdgeRevocation } from '../../../sessions/edge-revocation';
import { SessionsRepository } from '../../../sessions/sessions.repository';
import { TenantPlansRepository } from '../../../tenant-plans/tenant-plans.repository';
import { memberNotFound } from '../../member-errors';
import { MembersRepository } from '../../members.repository';
import type { SignOutMemberCommand } from './sign-out-member.command';

/**
 * "Sign out everywhere" for a member: owners and admins (only an owner for an owner) revoke every
 * live session of that member in their tenant. Refresh tokens stop at once (database), access
 * tokens at once at the edge (revocation set), open WebSockets close. A member cannot (403).
 */
@Injectable()
export class SignOutMemberUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly members: MembersRepository,
    private readonly tenants: TenantPlansRepository,
    private readonly sessions: SessionsRepository,
    private readonly edge: EdgeRevocation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: SignOutMemberCommand): Promise<void> {
    const revoked = await this.members.transaction(async (manager) => {
      await this.tenants.lockTenant(manager, command.tenantId);
      const actor = await this.actors.resolve(command, manager);
      assertMayChangeRole(actor.role, undefined, undefined);
      const member = await this.members.find(manager, command.tenantId, command.userId);
      if (!member) throw memberNotFound();
      assertMayChangeRole(actor.role, member.role, undefined);
      return this.sessions.revokeAllOfMember(
        manager,
        { tenantId: command.tenantId, userId: command.userId },
        'sign_out',
      );
    });
    await this.edge.revoke(revoked);
    this.logger.info(
      { tenantId: command.tenantId, signedOutUserId: command.userId, revokedSessions: revoked.length },
      'Member signed out everywhere',
    );
  }
}
