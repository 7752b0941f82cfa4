import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import type { SocialProviderConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { isPlausibleEmail, normaliseEmail } from '../../../../accounts/email';
import type { SignedIn } from '../../../../accounts/member-session';
import { LoginTrace, SsoRejection } from '../../../login-trace';
import { verifyIdToken } from '../../../oidc/id-token-checks';
import { OidcDiscovery } from '../../../oidc/oidc-discovery';
import { IdpCallFailed, OidcHttp } from '../../../oidc/oidc-http';
import { exchangeCode } from '../../../oidc/oidc-token-exchange';
import { SocialLoginStore } from '../../social-login-store';
import { SocialProviders } from '../../social-providers';
import { SocialSignIn, socialRefusal } from '../../social-sign-in';

export interface CompleteSocialLoginCommand {
  provider: string;
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  errorDescription: string | undefined;
}

type OidcProvider = Extract<SocialProviderConfig, { kind: 'oidc' }>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The redirect URI of a social login. OIDC: the state taken once, the code exchanged with the PKCE
 * verifier, the id_token checked as a tenant's OIDC login checks it (algorithm RS256/ES256, iss,
 * aud, azp, exp, iat, nonce); the email must be marked verified (Entra ID: `email_verified` or its
 * `xms_edov` claim; an unverified Entra email is how "nOAuth" takeovers happen). GitHub: through
 * passport-oauth2, its primary verified email. Then a session for the account with that email.
 * Refusals are 401 `sso_login_rejected` with a reason and where a browser lands
 * (`/sign-in?sso_error=<reason>`).
 */
@Injectable()
export class CompleteSocialLoginUseCase {
  constructor(
    private readonly providers: SocialProviders,
    private readonly store: SocialLoginStore,
    private readonly discovery: OidcDiscovery,
    private readonly http: OidcHttp,
    private readonly signIn: SocialSignIn,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: CompleteSocialLoginCommand): Promise<SignedIn & { redirectTo: string }> {
    const provider = this.providers.get(command.provider);
    const { email, redirectTo } =
      provider.kind === 'oauth2' ? await this.gitHub(command) : await this.oidc(provider, command);
    const signedIn = await this.signIn.signIn(email);
    this.logger.info({ provider: provider.id, userId: signedIn.user.id }, 'social sign-in');
    return { ...signedIn, redirectTo };
  }

  private async gitHub(command: CompleteSocialLoginCommand): Promise<{ email: string; redirectTo: string }> {
    const query = { code: command.code, state: command.state, error: command.error };
    const outcome = await this.providers.gitHub().complete(query);
    if (outcome.kind === 'success') {
      const email = normaliseEmail(outcome.identity.email ?? '');
      if (!isPlausibleEmail(email)) throw socialRefusal('email_unverified', 'GitHub has no verified email for them');
      return { email, redirectTo: outcome.redirectTo };
    }
    const reason = outcome.kind === 'fail' && /state/i.test(outcome.message) ? 'state_invalid' : 'idp_error';
    const detail =
      outcome.kind === 'fail'
        ? outcome.message
        : outcome.kind === 'error'
          ? outcome.error.message
          : 'GitHub answered a redirect where a callback ends';
    this.logger.warn({ provider: 'github', reason, detail }, 'social sign-in refused');
    throw new DomainException(ErrorCode.SsoLoginRejected, `GitHub sign-in refused: ${detail.slice(0, 200)}`, {
      reason,
      redirectTo: `/sign-in?sso_error=${reason}`,
    });
  }

  private async oidc(
    provider: OidcProvider,
    command: CompleteSocialLoginCommand,
  ): Promise<{ email: string; redirectTo: string }> {
    const trace = new LoginTrace();
    try {
      const pending =
        (await this.store.take(provider.id, command.state)) ??
        trace.fail('state', 'state_invalid', 'The state is unknown, used or expired');
      if (command.error !== undefined) trace.fail('IdP answer', 'idp_error', command.error.slice(0, 200));
      const code = command.code ?? trace.fail('code', 'response_missing', 'The IdP sent no authorization code');
      const payload = await this.idToken(provider, code, pending, trace);
      return { email: verifiedEmail(provider, payload, trace), redirectTo: pending.redirectTo };
    } catch (error) {
      if (!(error instanceof SsoRejection)) throw error;
      this.logger.warn({ provider: provider.id, reason: error.reason }, 'social sign-in refused');
      throw trace.exception(error);
    }
  }

  private async idToken(
    provider: OidcProvider,
    code: string,
    pending: { verifier: string; nonce: string },
    trace: LoginTrace,
  ): Promise<JWTPayload> {
    try {
      const metadata = await this.discovery.metadata(provider.issuer);
      const idToken = await exchangeCode(
        this.http,
        metadata,
        {
          code,
          verifier: pending.verifier,
          redirectUri: this.providers.callbackUrl(provider.id),
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
        },
        trace,
      );
      return await verifyIdToken(
        idToken,
        (refresh) => this.discovery.keys(metadata.jwks_uri, refresh),
        { issuer: provider.issuer, clientId: provider.clientId, nonce: pending.nonce, algorithms: ['RS256', 'ES256'] },
        trace,
      );
    } catch (error) {
      if (error instanceof IdpCallFailed) return trace.fail('identity provider', 'idp_unreachable', error.message);
      throw error;
    }
  }
}

/** The id_token's email, only when the provider vouches for it. */
function verifiedEmail(provider: OidcProvider, payload: JWTPayload, trace: LoginTrace): string {
  const email = normaliseEmail(text(payload.email) ?? '');
  if (!isPlausibleEmail(email)) trace.fail('email', 'email_missing', 'The id_token carries no email');
  const yes = (value: unknown) => value === true || value === 'true' || value === 1;
  const verified = yes(payload.email_verified) || (provider.id === 'azure' && yes(payload.xms_edov));
  if (!verified) trace.fail('email', 'email_unverified', `${provider.id} does not mark ${email} as verified`);
  return email;
}
