import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository } from '../../sso-connections.repository';

/** Removes a connection and its traces; members it provisioned stay members (with passwordless accounts). */
@Injectable()
export class DeleteSsoConnectionUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: SsoConnectionCommand): Promise<void> {
    const deleted = await this.connections.transaction(async (manager) => {
      assertPermitted((await this.actors.resolve(command, manager)).role, 'sso.manage');
      return this.connections.delete(manager, command.tenantId, command.connectionId ?? '');
    });
    if (!deleted) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
    this.logger.info({ tenantId: command.tenantId, connectionId: command.connectionId }, 'SSO connection deleted');
  }
}
