import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { AuditTrail } from '../../../../audit/audit-trail';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository } from '../../sso-connections.repository';

/**
 * Removes a connection and its traces; members it provisioned stay members (with passwordless
 * accounts). The removal is recorded for the audit log (`sso.removed`) in the same transaction.
 */
@Injectable()
export class DeleteSsoConnectionUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: SsoConnectionCommand): Promise<void> {
    const deleted = await this.connections.transaction(async (manager) => {
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'sso.manage');
      const existing = await this.connections.find(command.tenantId, command.connectionId ?? '', manager);
      if (!existing || !(await this.connections.delete(manager, command.tenantId, existing.id))) return false;
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'sso.removed',
        target: { type: 'sso-connection', id: existing.id },
        details: { setting: 'connection', protocol: existing.protocol },
      });
      return true;
    });
    if (!deleted) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
    this.logger.info({ tenantId: command.tenantId, connectionId: command.connectionId }, 'SSO connection deleted');
  }
}
