import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { safeRelayPath } from '../../relay-state';
import { SamlConnectionResolver } from '../../saml-connection-resolver';
import { samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger } from '../../saml-stores';
import { SsoSecrets } from '../../../connections/sso-secrets';
import { signingKeyOf } from '../../sp-signing-key';

export interface StartSamlLoginCommand {
  tenantSlug: string;
  redirectTo: string | undefined;
  /** A test login (Test connection): allowed while the connection is disabled; it opens no session. */
  test: boolean;
}

/**
 * SP-initiated login: an AuthnRequest whose id is kept in Redis (10 min, single use), sent with the
 * HTTP-Redirect binding; RelayState is where to go afterwards, a path of ours only (else 400). A test
 * login marks its request as a test: the ACS then runs every check and records the trace, but
 * provisions nobody and opens no session, so a disabled connection can be tried before enabling.
 * With single logout on, the connection has our signing key and the AuthnRequest is signed too (an
 * IdP that checks our LogoutRequests' signature, as Keycloak does, checks every request's).
 */
@Injectable()
export class StartSamlLoginUseCase {
  constructor(
    private readonly resolver: SamlConnectionResolver,
    private readonly ledger: SamlAssertionLedger,
    private readonly secrets: SsoSecrets,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: StartSamlLoginCommand): Promise<{ location: string }> {
    const relay = safeRelayPath(command.redirectTo);
    if (relay === null) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid redirectTo', {
        issues: ['redirectTo: must be a path of this application (it starts with a single /)'],
      });
    }
    const { connection, sp } = await this.resolver.resolve(command.tenantSlug);
    if (!connection.enabled && !command.test) {
      throw new DomainException(ErrorCode.SsoNotConfigured, 'SAML single sign-on is not enabled for this organisation');
    }
    const purpose = command.test ? 'test' : 'login';
    const saml = samlFor(
      connection,
      sp,
      this.ledger.requestCache(connection.tenantId, purpose),
      signingKeyOf(connection, this.secrets),
    );
    const location = await saml.getAuthorizeUrlAsync(relay, undefined, {});
    this.logger.info({ tenantId: connection.tenantId, connectionId: connection.id, purpose }, 'SAML login started');
    return { location };
  }
}
