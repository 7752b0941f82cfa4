import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, type SsoLoginTrace } from '@parley/contracts';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository } from '../../sso-connections.repository';

/** The newest login traces of a connection (what Test connection shows), for owners and admins. */
@Injectable()
export class ListSsoTracesUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
  ) {}

  async execute(command: SsoConnectionCommand): Promise<{ traces: SsoLoginTrace[] }> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const id = command.connectionId ?? '';
    if (!(await this.connections.find(command.tenantId, id))) {
      throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
    }
    return { traces: await this.connections.traces(command.tenantId, id) };
  }
}
