import type { Request } from 'express';
import { Strategy as OAuth2Strategy, type StateStore, type VerifyCallback } from 'passport-oauth2';
import type { SocialProviderConfig } from '@parley/config';
import type { SocialLoginStore } from './social-login-store';

type GitHubConfig = Extract<SocialProviderConfig, { kind: 'oauth2' }>;

/** Who GitHub says signed in: the primary verified email (or another verified one). */
export interface GitHubIdentity {
  email: string | null;
  name: string;
}

/** What one step of the passport strategy ended in. */
export type OAuthOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'success'; identity: GitHubIdentity; redirectTo: string }
  | { kind: 'fail'; message: string }
  | { kind: 'error'; error: Error };

interface GitHubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * GitHub sign-in through passport-oauth2 (GitHub is OAuth 2.0, not OIDC: no id_token, so who signed
 * in is read from its API with the access token: `/user` and `/user/emails`). The strategy runs
 * without passport's middleware: each step is one `authenticate` call whose ending (a redirect, a
 * user, a failure) answers a promise. State and the PKCE verifier live in the shared Redis store,
 * used once.
 */
export class GitHubOAuth {
  private readonly strategy: OAuth2Strategy;

  constructor(config: GitHubConfig, callbackUrl: string, store: SocialLoginStore) {
    const stateStore: StateStore = {
      // (req, verifier, state, meta, callback): the arity passport-oauth2 calls with PKCE.
      store: (_req: Request, verifier: string, state: { redirectTo: string }, _meta: unknown, done: StoreDone) => {
        store.save({ provider: 'github', verifier, nonce: '', redirectTo: state.redirectTo }).then(
          (handle) => done(null, handle),
          (error: Error) => done(error),
        );
      },
      verify: (_req: Request, provided: string, done: VerifyDone) => {
        store.take('github', provided).then(
          (pending) =>
            pending
              ? done(null, pending.verifier, { redirectTo: pending.redirectTo })
              : done(null, false, { message: 'The state is unknown, used or expired' }),
          (error: Error) => done(error),
        );
      },
    } as unknown as StateStore;
    this.strategy = new OAuth2Strategy(
      {
        authorizationURL: config.authorizationUrl,
        tokenURL: config.tokenUrl,
        clientID: config.clientId,
        clientSecret: config.clientSecret,
        callbackURL: callbackUrl,
        scope: ['read:user', 'user:email'],
        state: true,
        pkce: true,
        store: stateStore,
      },
      (_access: string, _refresh: string, profile: GitHubIdentity, done: VerifyCallback) => done(null, profile),
    );
    const oauth2 = (this.strategy as unknown as { _oauth2: OAuth2Client })._oauth2;
    oauth2.useAuthorizationHeaderforGET(true);
    this.strategy.userProfile = (accessToken, done) => {
      readIdentity(oauth2, config.apiUrl, accessToken).then(
        (identity) => done(null, identity),
        (error: Error) => done(error),
      );
    };
  }

  /** The redirect to GitHub's authorization page (state and PKCE challenge stored). */
  start(redirectTo: string): Promise<OAuthOutcome> {
    return this.run({ query: {} }, { state: { redirectTo } });
  }

  /** The callback: the state taken, the code exchanged, the identity read. */
  complete(query: Record<string, string | undefined>): Promise<OAuthOutcome> {
    return this.run({ query }, {});
  }

  private run(req: { query: Record<string, string | undefined> }, options: Record<string, unknown>) {
    return new Promise<OAuthOutcome>((resolve) => {
      const step = Object.create(this.strategy) as OAuth2Strategy & StrategyEndings;
      step.redirect = (location: string) => resolve({ kind: 'redirect', location });
      step.success = (identity: GitHubIdentity, info?: { state?: { redirectTo?: string } }) =>
        resolve({ kind: 'success', identity, redirectTo: info?.state?.redirectTo ?? '/' });
      step.fail = (challenge?: { message?: string } | string) =>
        resolve({
          kind: 'fail',
          message: typeof challenge === 'string' ? challenge : (challenge?.message ?? 'refused'),
        });
      step.error = (error: Error) => resolve({ kind: 'error', error });
      step.authenticate(req as unknown as Request, options);
    });
  }
}

type StoreDone = (error: Error | null, handle?: string) => void;
type VerifyDone = (error: Error | null, ok?: string | false, state?: unknown) => void;

interface StrategyEndings {
  redirect(location: string): void;
  success(user: GitHubIdentity, info?: { state?: { redirectTo?: string } }): void;
  fail(challenge?: { message?: string } | string): void;
  error(error: Error): void;
}

interface OAuth2Client {
  useAuthorizationHeaderforGET(use: boolean): void;
  get(url: string, accessToken: string, callback: (error: unknown, body?: string | Buffer) => void): void;
}

function getJson(oauth2: OAuth2Client, url: string, accessToken: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    oauth2.get(url, accessToken, (error, body) => {
      if (error) {
        const status = (error as { statusCode?: number }).statusCode;
        reject(new Error(`${url} answered ${status ?? 'an error'}`));
        return;
      }
      try {
        resolve(JSON.parse(String(body)) as unknown);
      } catch {
        reject(new Error(`${url} answered no JSON`));
      }
    });
  });
}

async function readIdentity(oauth2: OAuth2Client, apiUrl: string, accessToken: string): Promise<GitHubIdentity> {
  const user = (await getJson(oauth2, `${apiUrl}/user`, accessToken)) as { name?: unknown; login?: unknown };
  const emails = await getJson(oauth2, `${apiUrl}/user/emails`, accessToken);
  const verified = (Array.isArray(emails) ? (emails as GitHubEmail[]) : []).filter(
    (e) => e.verified === true && typeof e.email === 'string',
  );
  const chosen = verified.find((e) => e.primary === true) ?? verified[0];
  const name =
    typeof user.name === 'string' && user.name ? user.name : typeof user.login === 'string' ? user.login : '';
  return { email: chosen ? String(chosen.email) : null, name: name.slice(0, 200) };
}
