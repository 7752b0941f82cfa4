import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, type SamlIdpSettings, type SsoConnectionView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { AuditTrail } from '../../../../audit/audit-trail';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import { generateSpSigningKey, signsRequests } from '../../../saml/sp-signing-key';
import { serviceProviderOf } from '../../../service-provider';
import { connectionView } from '../../connection-view';
import { IdpMetadataFetcher } from '../../idp-metadata-fetcher';
import {
  SsoConnectionsRepository,
  type SsoConnection,
  type SsoConnectionFields,
} from '../../sso-connections.repository';
import { SsoSecrets, secretHint } from '../../sso-secrets';
import { idpFromMetadata, type SaveSsoConnectionCommand } from './save-sso-connection.command';

function notFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'SSO connection not found');
}

function storedHint(connection: SsoConnection): string {
  if (connection.protocol === 'oidc') return connection.idp.clientSecretHint;
  if (connection.protocol === 'ldap') return connection.idp.bindPasswordHint;
  return '…';
}

/**
 * Owners and admins create their tenant's connection (one per protocol: 409 `sso_connection_exists`)
 * or replace it whole (its protocol cannot change: 404); a connection of another tenant is 404. The
 * role is checked before a metadata URL is fetched (through the egress policy). A secret (OIDC client
 * secret, LDAP bind password) is sealed under the connection's id; it is required on creation and
 * kept when a replacement leaves it out. Answers the view with our values, never the secret. The
 * change is recorded for the audit log (`sso.configured`) in the same transaction.
 */
@Injectable()
export class SaveSsoConnectionUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    private readonly metadata: IdpMetadataFetcher,
    private readonly secrets: SsoSecrets,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: SaveSsoConnectionCommand): Promise<SsoConnectionView> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const draft = command.draft;
    const samlIdp =
      draft.protocol === 'saml'
        ? {
            ...(draft.idp ??
              idpFromMetadata(await this.metadata.fetch(draft.metadataUrl ?? ''), draft.metadataUrl ?? undefined)),
            allowIdpInitiated: draft.allowIdpInitiated,
            singleLogout: draft.singleLogout,
            signAuthnRequests: draft.signAuthnRequests,
          }
        : null;
    if (samlIdp?.singleLogout && !samlIdp.sloUrl) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid SSO connection', {
        issues: ["idp.sloUrl: single logout needs the IdP's single logout URL (its metadata publishes none)"],
      });
    }
    const saved = await this.connections.transaction(async (manager) => {
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'sso.manage');
      const existing =
        command.connectionId === null
          ? null
          : await this.connections.find(command.tenantId, command.connectionId, manager);
      if (command.connectionId !== null && existing?.protocol !== draft.protocol) throw notFound();
      const id = command.connectionId ?? randomUUID();
      const fields = samlIdp
        ? this.withSpKey(command.fields, samlIdp, id, existing, await this.connections.tenantSlug(command.tenantId))
        : this.withSecret(command, id, existing);
      const row =
        command.connectionId === null
          ? await this.connections.insert(manager, {
              ...fields,
              id,
              tenantId: command.tenantId,
              createdBy: actor.userId,
            })
          : await this.connections.replace(manager, command.tenantId, id, fields);
      if (!row) throw notFound();
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'sso.configured',
        target: { type: 'sso-connection', id: row.id },
        details: {
          setting: 'connection',
          protocol: row.protocol,
          enabled: row.enabled,
          created: command.connectionId === null,
          secretChanged: draft.protocol !== 'saml' && draft.secret !== null,
        },
      });
      return row;
    });
    this.logger.info(
      { tenantId: command.tenantId, connectionId: saved.id, protocol: saved.protocol, enabled: saved.enabled },
      command.connectionId === null ? 'SSO connection created' : 'SSO connection replaced',
    );
    return connectionView(saved, this.publicUrl, await this.connections.tenantSlug(command.tenantId));
  }

  /**
   * SAML: our signing key (what signs AuthnRequests, LogoutRequests and LogoutResponses) is kept
   * once made; it is made, with its self-signed certificate, when single logout or signed
   * AuthnRequests are first turned on.
   */
  private withSpKey(
    fields: SaveSsoConnectionCommand['fields'],
    idp: SamlIdpSettings,
    id: string,
    existing: SsoConnection | null,
    tenantSlug: string,
  ): SsoConnectionFields {
    const { spCertificate: _given, ...settings } = idp;
    if (existing?.protocol === 'saml' && existing.sealedSecret && existing.idp.spCertificate) {
      const kept = { ...settings, spCertificate: existing.idp.spCertificate };
      return { ...fields, protocol: 'saml', idp: kept, sealedSecret: existing.sealedSecret };
    }
    if (!signsRequests(idp)) return { ...fields, protocol: 'saml', idp: settings, sealedSecret: null };
    const key = generateSpSigningKey(serviceProviderOf(this.publicUrl, tenantSlug).entityId);
    return {
      ...fields,
      protocol: 'saml',
      idp: { ...settings, spCertificate: key.certificatePem },
      sealedSecret: this.secrets.seal(id, key.privateKeyPem),
    };
  }

  /** OIDC and LDAP: the secret given (sealed, with its hint), else the stored one, else a 400. */
  private withSecret(
    command: SaveSsoConnectionCommand,
    id: string,
    existing: SsoConnection | null,
  ): SsoConnectionFields {
    const draft = command.draft;
    if (draft.protocol === 'saml') throw new Error('A SAML connection has no secret');
    const secretName = draft.protocol === 'oidc' ? 'oidc.clientSecret' : 'ldap.bindPassword';
    let sealedSecret: Buffer;
    let hint: string;
    if (draft.secret !== null) {
      sealedSecret = this.secrets.seal(id, draft.secret);
      hint = secretHint(draft.secret);
    } else if (existing && existing.protocol === draft.protocol && existing.sealedSecret) {
      sealedSecret = existing.sealedSecret;
      hint = storedHint(existing);
    } else {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid SSO connection', {
        issues: [`${secretName}: required when the connection is created`],
      });
    }
    if (draft.protocol === 'oidc') {
      return { ...command.fields, protocol: 'oidc', idp: { ...draft.idp, clientSecretHint: hint }, sealedSecret };
    }
    return { ...command.fields, protocol: 'ldap', idp: { ...draft.idp, bindPasswordHint: hint }, sealedSecret };
  }
}
