import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import type { SsoConnectionView } from '@parley/contracts';
import { authSettings } from '../../../../../auth-settings';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import { connectionView } from '../../connection-view';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository } from '../../sso-connections.repository';

/** The tenant's connections, for owners and admins. */
@Injectable()
export class ListSsoConnectionsUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: SsoConnectionCommand): Promise<{ connections: SsoConnectionView[] }> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const slug = await this.connections.tenantSlug(command.tenantId);
    const all = await this.connections.list(command.tenantId);
    return { connections: all.map((c) => connectionView(c, this.publicUrl, slug)) };
  }
}
