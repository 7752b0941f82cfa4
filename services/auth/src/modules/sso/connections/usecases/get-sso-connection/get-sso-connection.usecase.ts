import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, type SsoConnectionView } from '@parley/contracts';
import { authSettings } from '../../../../../auth-settings';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import { connectionView } from '../../connection-view';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository } from '../../sso-connections.repository';

/** One connection of the tenant (another tenant's id: 404), for owners and admins. */
@Injectable()
export class GetSsoConnectionUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: SsoConnectionCommand): Promise<SsoConnectionView> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const connection = await this.connections.find(command.tenantId, command.connectionId ?? '');
    if (!connection) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
    return connectionView(connection, this.publicUrl, await this.connections.tenantSlug(command.tenantId));
  }
}
