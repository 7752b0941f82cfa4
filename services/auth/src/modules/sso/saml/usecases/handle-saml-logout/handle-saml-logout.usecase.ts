import { Inject, Injectable } from '@nestjs/common';
import type { Profile } from '@node-saml/node-saml';
import { SSO_LIMITS, SSO_SIGNED_OUT_PATH } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { EdgeRevocation } from '../../../../sessions/edge-revocation';
import type { SamlConnection } from '../../../connections/sso-connections.repository';
import { SsoSecrets } from '../../../connections/sso-secrets';
import type { ServiceProviderValues } from '../../../service-provider';
import { SamlConnectionResolver } from '../../saml-connection-resolver';
import { logoutRefused, readPostLogout, readRedirectLogout, type LogoutMessage } from '../../saml-logout-message';
import { SamlSessionsRepository } from '../../saml-sessions.repository';
import { SAML_CLOCK_SKEW_MS, samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger } from '../../saml-stores';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** A message at our SingleLogoutService, in the binding it came by. */
export type HandleSamlLogoutCommand = { tenantSlug: string } & (
  { binding: 'redirect'; rawQuery: string } | { binding: 'post'; form: URLSearchParams }
);

/** Where the browser goes: back to the IdP (our LogoutResponse), or to sign-in (our logout done). */
export type SamlLogoutOutcome = { location: string } | { redirectTo: string };

/**
 * Our SingleLogoutService. Whatever the binding, the message must be signed by one of the
 * connection's IdP certificates (SHA-256+), come from its issuer and name our SLO URL as its
 * Destination; the connection must be enabled with single logout on. Refusals are 401
 * `sso_logout_rejected` with the reason, and nothing is revoked.
 * - The IdP's LogoutResponse to our LogoutRequest: its InResponseTo must be a logout request of
 *   ours for this tenant (taken once); success or not, the browser lands on sign-in (the Parley
 *   session was revoked at sign-out).
 * - The IdP's LogoutRequest: fresh (IssueInstant within 5 min ± 60 s, NotOnOrAfter), never seen
 *   before (its id is remembered for that window); every live session this NameID opened through
 *   the connection (only those of its SessionIndex when named) is revoked, at the edge too, and the
 *   browser goes back to the IdP with our signed LogoutResponse.
 */
@Injectable()
export class HandleSamlLogoutUseCase {
  constructor(
    private readonly resolver: SamlConnectionResolver,
    private readonly ledger: SamlAssertionLedger,
    private readonly links: SamlSessionsRepository,
    private readonly secrets: SsoSecrets,
    private readonly edge: EdgeRevocation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: HandleSamlLogoutCommand): Promise<SamlLogoutOutcome> {
    const { connection, sp } = await this.resolver.resolve(command.tenantSlug);
    const tenantId = connection.tenantId;
    try {
      if (!connection.enabled || !connection.idp.singleLogout || !connection.idp.sloUrl) {
        throw logoutRefused('single_logout_disabled', 'Single logout is off for this connection');
      }
      const message = await this.read(command, connection.idp.certificates);
      if (message.issuer !== connection.idp.entityId) {
        throw logoutRefused('issuer_mismatch', 'The message is not from this connection’s IdP');
      }
      if (message.destination !== sp.sloUrl) {
        throw logoutRefused('destination_mismatch', 'The message is not addressed to this organisation’s SLO URL');
      }
      return message.kind === 'response'
        ? await this.completed(connection, message)
        : await this.requested(connection, sp, message);
    } catch (error) {
      const reason = (error as { details?: { reason?: unknown } }).details?.reason;
      if (typeof reason === 'string') this.logger.warn({ tenantId, reason }, 'SAML logout refused');
      throw error;
    }
  }

  private async read(command: HandleSamlLogoutCommand, certificates: readonly string[]): Promise<LogoutMessage> {
    if (command.binding === 'redirect') return readRedirectLogout(command.rawQuery, certificates);
    const request = command.form.get('SAMLRequest');
    const response = command.form.get('SAMLResponse');
    const encoded = request ?? response;
    if (!encoded || (request !== null && response !== null)) {
      throw logoutRefused('response_missing', 'Exactly one of SAMLRequest and SAMLResponse is expected');
    }
    return readPostLogout(encoded, command.form.get('RelayState'), certificates);
  }

  /** The IdP answered our LogoutRequest. */
  private async completed(
    connection: SamlConnection,
    message: Extract<LogoutMessage, { kind: 'response' }>,
  ): Promise<SamlLogoutOutcome> {
    const cache = this.ledger.requestCache(connection.tenantId, 'logout');
    const inResponseTo = message.inResponseTo ?? '';
    const taken = inResponseTo ? await cache.getAsync(inResponseTo) : null;
    if (taken === null || cache.purposeOf(inResponseTo) !== 'logout') {
      throw logoutRefused('in_response_to_invalid', 'The LogoutResponse answers no pending logout of ours');
    }
    if (message.status !== SUCCESS) {
      throw logoutRefused('idp_error', `The IdP could not end its session (${message.status.slice(0, 100)})`);
    }
    this.logger.info({ tenantId: connection.tenantId, connectionId: connection.id }, 'SAML single logout completed');
    return { redirectTo: SSO_SIGNED_OUT_PATH };
  }

  /** The IdP asks us to end the sessions of a NameID. */
  private async requested(
    connection: SamlConnection,
    sp: ServiceProviderValues,
    message: Extract<LogoutMessage, { kind: 'request' }>,
  ): Promise<SamlLogoutOutcome> {
    const now = Date.now();
    const issued = Date.parse(message.issueInstant);
    const notOnOrAfter = message.notOnOrAfter === null ? Number.POSITIVE_INFINITY : Date.parse(message.notOnOrAfter);
    if (
      Number.isNaN(issued) ||
      issued > now + SAML_CLOCK_SKEW_MS ||
      issued < now - SSO_LIMITS.logoutRequestMaxAgeMs - SAML_CLOCK_SKEW_MS ||
      !(notOnOrAfter > now - SAML_CLOCK_SKEW_MS)
    ) {
      throw logoutRefused('logout_request_expired', 'The LogoutRequest is not fresh');
    }
    const keepMs = issued + SSO_LIMITS.logoutRequestMaxAgeMs + 2 * SAML_CLOCK_SKEW_MS - now;
    if (!(await this.ledger.acceptLogoutRequest(connection.tenantId, message.id, keepMs))) {
      throw logoutRefused('logout_request_replayed', 'This LogoutRequest was already used');
    }
    const revoked = await this.links.transaction((manager) =>
      this.links.revokeOfNameId(manager, {
        tenantId: connection.tenantId,
        connectionId: connection.id,
        nameId: message.nameId,
        sessionIndexes: message.sessionIndexes,
      }),
    );
    if (revoked.length > 0) await this.edge.revoke(revoked);
    this.logger.info(
      { tenantId: connection.tenantId, connectionId: connection.id, sessions: revoked.length },
      'SAML single logout requested by the IdP',
    );
    const saml = samlFor(
      connection,
      sp,
      this.ledger.requestCache(connection.tenantId, 'logout'),
      this.secrets.open(connection),
    );
    const relayState =
      message.relayState !== null && message.relayState.length <= SSO_LIMITS.relayStateChars ? message.relayState : '';
    const location = await saml.getLogoutResponseUrlAsync({ ID: message.id } as Profile, relayState, {}, true);
    return { location };
  }
}
