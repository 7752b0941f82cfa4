import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type SocialProviderConfig } from '@parley/config';
import { DomainException, ErrorCode, SOCIAL_ROUTES, type SocialProvider } from '@parley/contracts';
import { authSettings } from '../../../auth-settings';
import { GitHubOAuth } from './github-oauth';
import { SocialLoginStore } from './social-login-store';

/** The social providers the operator turned on, with our redirect URI for each. */
@Injectable()
export class SocialProviders {
  private readonly byId = new Map<string, SocialProviderConfig>();
  private readonly publicUrl: string;
  private github: GitHubOAuth | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: SocialLoginStore,
  ) {
    const auth = authSettings(config);
    this.publicUrl = auth.publicUrl;
    for (const provider of auth.socialProviders) this.byId.set(provider.id, provider);
  }

  list(): SocialProviderConfig[] {
    return [...this.byId.values()];
  }

  /** The provider, or 404 `sso_not_configured` when the operator did not turn it on. */
  get(id: string): SocialProviderConfig {
    const provider = this.byId.get(id);
    if (!provider) throw new DomainException(ErrorCode.SsoNotConfigured, `Sign-in with ${id.slice(0, 40)} is not on`);
    return provider;
  }

  callbackUrl(id: SocialProvider): string {
    return `${this.publicUrl}${SOCIAL_ROUTES.callback(id)}`;
  }

  gitHub(): GitHubOAuth {
    const config = this.get('github');
    if (config.kind !== 'oauth2') throw new Error('github is not an OAuth 2.0 provider');
    this.github ??= new GitHubOAuth(config, this.callbackUrl('github'), this.store);
    return this.github;
  }
}
