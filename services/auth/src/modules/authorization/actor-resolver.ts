import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import type { Role } from '../access-tokens/access-token.claims';
import type { TenantCommand } from './tenant-command';

/** The caller of a tenant command, with their role as it is now (not as the token remembers it). */
export interface TenantActor {
  userId: string;
  tenantId: string;
  sessionId: string;
  role: Role;
}

/**
 * Authorisation reads the current membership: a demotion or removal takes effect at once on auth's
 * routes, even while an access token issued before it is still valid. A revoked session, or one
 * whose membership is gone, is refused.
 */
@Injectable()
export class ActorResolver {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Inside a transaction (`manager`), after the tenant's lock, for changes that depend on the role. */
  async resolve(command: TenantCommand, manager?: EntityManager): Promise<TenantActor> {
    const rows = await (manager ?? this.dataSource).query<{ role: Role }[]>(
      `SELECT m.role
         FROM auth.sessions s
         JOIN auth.memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.tenant_id = $3 AND s.revoked_at IS NULL`,
      [command.actor.sessionId, command.actor.userId, command.tenantId],
    );
    const role = rows[0]?.role;
    if (!role) throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    return { userId: command.actor.userId, tenantId: command.tenantId, sessionId: command.actor.sessionId, role };
  }
}
