import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Profile } from '@node-saml/node-saml';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { SignOutFollowUps, type EndedSession } from '../../../../sessions/sign-out-follow-ups';
import { SsoConnectionsRepository } from '../../../connections/sso-connections.repository';
import { SsoSecrets } from '../../../connections/sso-secrets';
import { serviceProviderOf } from '../../../service-provider';
import { SamlSessionsRepository } from '../../saml-sessions.repository';
import { samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger } from '../../saml-stores';

/**
 * SP-initiated single logout, after sign-out revoked the session: when the session came from a SAML
 * login of a connection with single logout on, the IdP's single logout URL with our LogoutRequest
 * (the NameID and SessionIndex of that login, HTTP-Redirect binding, signed with the connection's
 * key); its id is kept in the tenant's request store (10 min, single use) for the IdP's
 * LogoutResponse. Any other session: null (sign-out ends here). Registered as a sign-out follow-up.
 */
@Injectable()
export class StartSamlLogoutUseCase implements OnModuleInit {
  private readonly publicUrl: string;

  constructor(
    private readonly followUps: SignOutFollowUps,
    private readonly links: SamlSessionsRepository,
    private readonly connections: SsoConnectionsRepository,
    private readonly secrets: SsoSecrets,
    private readonly ledger: SamlAssertionLedger,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  onModuleInit(): void {
    this.followUps.register((session) => this.execute(session));
  }

  async execute(session: EndedSession): Promise<string | null> {
    const link = await this.links.find(session.tenantId, session.sessionId);
    if (!link) return null;
    const connection = await this.connections.find(session.tenantId, link.connectionId);
    if (connection?.protocol !== 'saml' || !connection.enabled) return null;
    if (!connection.idp.singleLogout || !connection.idp.sloUrl || !connection.sealedSecret) return null;
    const sp = serviceProviderOf(this.publicUrl, await this.connections.tenantSlug(session.tenantId));
    const saml = samlFor(
      connection,
      sp,
      this.ledger.requestCache(session.tenantId, 'logout'),
      this.secrets.open(connection),
    );
    const user = {
      issuer: connection.idp.entityId,
      nameID: link.nameId,
      nameIDFormat: link.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      ...(link.sessionIndex ? { sessionIndex: link.sessionIndex } : {}),
    } as Profile;
    const location = await saml.getLogoutUrlAsync(user, '', {});
    this.logger.info(
      { tenantId: session.tenantId, connectionId: connection.id, sessionId: session.sessionId },
      'SAML single logout started',
    );
    return location;
  }
}
