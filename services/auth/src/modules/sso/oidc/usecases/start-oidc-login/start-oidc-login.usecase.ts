import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, SSO_OIDC_ROUTES } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { SsoConnectionResolver } from '../../../connections/sso-connection-resolver';
import { safeRelayPath } from '../../../saml/relay-state';
import { OidcDiscovery } from '../../oidc-discovery';
import { IdpCallFailed } from '../../oidc-http';
import { OidcLoginStore } from '../../oidc-login-store';

export interface StartOidcLoginCommand {
  tenantSlug: string;
  redirectTo: string | undefined;
  /** A test login (Test connection): allowed while the connection is disabled; it opens no session. */
  test: boolean;
}

const random = (): string => randomBytes(32).toString('base64url');

/**
 * An OIDC login: the authorization code flow with PKCE S256. A random `state`, `nonce` and code
 * verifier are kept in Redis under the tenant (single use, OIDC_LIMITS.stateTtlSeconds) with where
 * to go afterwards (a path of ours only, else 400); the browser goes to the IdP's authorization
 * endpoint (from discovery, through the egress policy) with our exact redirect URI.
 */
@Injectable()
export class StartOidcLoginUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly resolver: SsoConnectionResolver,
    private readonly discovery: OidcDiscovery,
    private readonly store: OidcLoginStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: StartOidcLoginCommand): Promise<{ location: string }> {
    const redirectTo = safeRelayPath(command.redirectTo);
    if (redirectTo === null) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid redirectTo', {
        issues: ['redirectTo: must be a path of this application (it starts with a single /)'],
      });
    }
    const { connection, tenantSlug } = await this.resolver.resolve(command.tenantSlug, 'oidc');
    if (!connection.enabled && !command.test) {
      throw new DomainException(ErrorCode.SsoNotConfigured, 'OIDC single sign-on is not enabled for this organisation');
    }
    let authorizationEndpoint: string;
    try {
      authorizationEndpoint = (await this.discovery.metadata(connection.idp.issuer)).authorization_endpoint;
    } catch (error) {
      if (!(error instanceof IdpCallFailed)) throw error;
      throw new DomainException(ErrorCode.ServiceUnavailable, `The identity provider is unreachable: ${error.message}`);
    }
    const state = random();
    const nonce = random();
    const verifier = random();
    await this.store.save(connection.tenantId, state, { nonce, verifier, redirectTo, test: command.test });
    const url = new URL(authorizationEndpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', connection.idp.clientId);
    url.searchParams.set('redirect_uri', `${this.publicUrl}${SSO_OIDC_ROUTES.callback(tenantSlug)}`);
    url.searchParams.set('scope', [...new Set(['openid', ...connection.idp.scopes])].join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    this.logger.info(
      { tenantId: connection.tenantId, connectionId: connection.id, test: command.test },
      'OIDC login started',
    );
    return { location: url.toString() };
  }
}
