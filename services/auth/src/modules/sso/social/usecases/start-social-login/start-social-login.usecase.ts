import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { OidcDiscovery } from '../../../oidc/oidc-discovery';
import { IdpCallFailed } from '../../../oidc/oidc-http';
import { safeRelayPath } from '../../../saml/relay-state';
import { SocialLoginStore } from '../../social-login-store';
import { SocialProviders } from '../../social-providers';

const random = (): string => randomBytes(32).toString('base64url');

/**
 * A social login: to Google, Entra ID or Okta by the OIDC code flow with PKCE S256 and a nonce
 * (discovery from the configured issuer), to GitHub through passport-oauth2 (state and PKCE). The
 * state is single use in Redis with where to go afterwards (a path of ours only, else 400).
 */
@Injectable()
export class StartSocialLoginUseCase {
  constructor(
    private readonly providers: SocialProviders,
    private readonly discovery: OidcDiscovery,
    private readonly store: SocialLoginStore,
  ) {}

  async execute(command: { provider: string; redirectTo: string | undefined }): Promise<{ location: string }> {
    const provider = this.providers.get(command.provider);
    const redirectTo = safeRelayPath(command.redirectTo);
    if (redirectTo === null) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid redirectTo', {
        issues: ['redirectTo: must be a path of this application (it starts with a single /)'],
      });
    }
    if (provider.kind === 'oauth2') {
      const outcome = await this.providers.gitHub().start(redirectTo);
      if (outcome.kind !== 'redirect') throw new Error(`GitHub login did not start: ${outcome.kind}`);
      return { location: outcome.location };
    }
    let authorizationEndpoint: string;
    try {
      authorizationEndpoint = (await this.discovery.metadata(provider.issuer)).authorization_endpoint;
    } catch (error) {
      if (!(error instanceof IdpCallFailed)) throw error;
      throw new DomainException(ErrorCode.ServiceUnavailable, `The identity provider is unreachable: ${error.message}`);
    }
    const nonce = random();
    const verifier = random();
    const state = await this.store.save({ provider: provider.id, verifier, nonce, redirectTo });
    const url = new URL(authorizationEndpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('redirect_uri', this.providers.callbackUrl(provider.id));
    url.searchParams.set('scope', 'openid email profile');
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    return { location: url.toString() };
  }
}
