import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, type SsoConnectionView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { AuditTrail } from '../../../../audit/audit-trail';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import { generateSpSigningKey } from '../../../saml/sp-signing-key';
import { serviceProviderOf } from '../../../service-provider';
import { connectionView } from '../../connection-view';
import type { SsoConnectionCommand } from '../../sso-connection.command';
import { SsoConnectionsRepository, type SamlConnection, type SsoConnection } from '../../sso-connections.repository';
import { SsoSecrets } from '../../sso-secrets';

/** The steps of a rotation of our SAML signing key. */
export type SigningKeyStep = 'prepare' | 'activate' | 'discard';

const DONE: Record<SigningKeyStep, string> = { prepare: 'prepared', activate: 'activated', discard: 'discarded' };

/**
 * Rotates our signing key of a SAML connection without a sign-in outage, as IdPs expect of a
 * service provider: `prepare` makes the next key (RSA-2048, self-signed certificate) and our
 * metadata publishes both certificates, so the IdP learns the new one (by re-reading our metadata
 * or by hand) while the current key still signs; `activate` makes the next key the one that signs
 * and drops the old one; `discard` drops the next key. Owners and admins; recorded in the audit
 * log (`sso.configured`, setting `signing-key`). The connection row is locked for the step, so two
 * admins cannot prepare two different next keys at once.
 */
@Injectable()
export class RotateSpSigningKeyUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    private readonly secrets: SsoSecrets,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: SsoConnectionCommand, step: SigningKeyStep): Promise<SsoConnectionView> {
    const tenantSlug = await this.connections.tenantSlug(command.tenantId);
    const saved = await this.connections.transaction(async (manager) => {
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'sso.manage');
      const found = await this.connections.find(command.tenantId, command.connectionId ?? '', manager, true);
      if (!found) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
      const connection = signingConnection(found);
      const keys = this.nextKeys(connection, step, tenantSlug);
      const row = await this.connections.setSigningKeys(manager, command.tenantId, connection.id, keys);
      if (!row) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'sso.configured',
        target: { type: 'sso-connection', id: connection.id },
        details: { setting: 'signing-key', step: DONE[step] },
      });
      return row;
    });
    this.logger.info(
      { tenantId: command.tenantId, connectionId: saved.id, step: DONE[step] },
      `SAML signing key ${DONE[step]}`,
    );
    return connectionView(saved, this.publicUrl, tenantSlug);
  }

  private nextKeys(connection: SamlConnection, step: SigningKeyStep, tenantSlug: string) {
    const current = { idp: connection.idp, sealedSecret: connection.sealedSecret };
    const next = connection.spNextKey;
    switch (step) {
      case 'prepare': {
        if (next) {
          throw new DomainException(
            ErrorCode.SsoNextSigningKeyExists,
            'A next signing key is already published: switch to it or discard it first',
          );
        }
        const key = generateSpSigningKey(serviceProviderOf(this.publicUrl, tenantSlug).entityId);
        return {
          ...current,
          next: { certificatePem: key.certificatePem, sealedKey: this.secrets.seal(connection.id, key.privateKeyPem) },
        };
      }
      case 'activate':
        if (!next) throw noNextKey();
        return {
          idp: { ...connection.idp, spCertificate: next.certificatePem },
          sealedSecret: next.sealedKey,
          next: null,
        };
      case 'discard':
        if (!next) throw noNextKey();
        return { ...current, next: null };
    }
  }
}

/** The connection, if it is SAML and has a signing key of ours (made when SLO or signed requests were turned on). */
function signingConnection(connection: SsoConnection): SamlConnection {
  if (connection.protocol !== 'saml' || !connection.idp.spCertificate || !connection.sealedSecret) {
    throw new DomainException(
      ErrorCode.SsoSigningKeyMissing,
      'This connection has no signing key of ours: only a SAML connection with single logout or signed requests has one',
    );
  }
  return connection;
}

function noNextKey(): DomainException {
  return new DomainException(ErrorCode.SsoNextSigningKeyMissing, 'No next signing key is published: prepare one first');
}
