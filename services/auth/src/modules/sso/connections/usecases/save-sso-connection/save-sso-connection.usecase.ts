import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, type SsoConnectionView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import { connectionView } from '../../connection-view';
import { IdpMetadataFetcher } from '../../idp-metadata-fetcher';
import { SsoConnectionsRepository, type SsoConnectionFields } from '../../sso-connections.repository';
import { idpFromMetadata, type SaveSsoConnectionCommand } from './save-sso-connection.command';

/**
 * Owners and admins create their tenant's connection (one per protocol: 409 `sso_connection_exists`)
 * or replace it whole; a connection of another tenant is 404. The role is checked before a metadata
 * URL is fetched (through the egress policy). Answers the view with our SP values.
 */
@Injectable()
export class SaveSsoConnectionUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    private readonly metadata: IdpMetadataFetcher,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: SaveSsoConnectionCommand): Promise<SsoConnectionView> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const fields: SsoConnectionFields = {
      ...command.fields,
      idp:
        command.idp ??
        idpFromMetadata(await this.metadata.fetch(command.metadataUrl ?? ''), command.metadataUrl ?? undefined),
    };
    const saved = await this.connections.transaction(async (manager) => {
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'sso.manage');
      if (command.connectionId === null) {
        return this.connections.insert(manager, {
          ...fields,
          id: randomUUID(),
          tenantId: command.tenantId,
          createdBy: actor.userId,
        });
      }
      const replaced = await this.connections.replace(manager, command.tenantId, command.connectionId, fields);
      if (!replaced) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
      return replaced;
    });
    this.logger.info(
      { tenantId: command.tenantId, connectionId: saved.id, enabled: saved.enabled },
      command.connectionId === null ? 'SSO connection created' : 'SSO connection replaced',
    );
    return connectionView(saved, this.publicUrl, await this.connections.tenantSlug(command.tenantId));
  }
}
