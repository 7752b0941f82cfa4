import { z } from 'zod';
import { SOCIAL_PROVIDERS, type SocialProvider } from '@parley/contracts';

const optionalUrl = z
  .string()
  .optional()
  .refine(
    (value) => value === undefined || value === '' || /^https?:\/\/[^\s]+$/.test(value),
    'must be an http(s) URL',
  );
const secret = z.string().max(500).optional();

/**
 * Platform-wide social sign-in (auth only): `OAUTH_PROVIDERS` lists what the operator turns on, each
 * with its client id and secret; Entra ID (`azure`) and Okta need their issuer, Google's is fixed,
 * GitHub's URLs default to github.com (changed for GitHub Enterprise).
 */
export const oauthShape = {
  OAUTH_PROVIDERS: z
    .string()
    .max(200)
    .default('')
    .refine(
      (value) =>
        value
          .split(',')
          .map((p) => p.trim())
          .every((p) => p === '' || (SOCIAL_PROVIDERS as readonly string[]).includes(p)),
      `must be a comma-separated list of ${SOCIAL_PROVIDERS.join(', ')}`,
    ),
  OAUTH_GOOGLE_CLIENT_ID: secret,
  OAUTH_GOOGLE_CLIENT_SECRET: secret,
  OAUTH_GOOGLE_ISSUER: optionalUrl,
  OAUTH_AZURE_CLIENT_ID: secret,
  OAUTH_AZURE_CLIENT_SECRET: secret,
  OAUTH_AZURE_ISSUER: optionalUrl,
  OAUTH_OKTA_CLIENT_ID: secret,
  OAUTH_OKTA_CLIENT_SECRET: secret,
  OAUTH_OKTA_ISSUER: optionalUrl,
  OAUTH_GITHUB_CLIENT_ID: secret,
  OAUTH_GITHUB_CLIENT_SECRET: secret,
  OAUTH_GITHUB_URL: optionalUrl,
  OAUTH_GITHUB_API_URL: optionalUrl,
};

export const DEFAULT_GOOGLE_ISSUER = 'https://accounts.google.com';

/** One social provider the operator turned on. */
export type SocialProviderConfig =
  | { id: Exclude<SocialProvider, 'github'>; kind: 'oidc'; clientId: string; clientSecret: string; issuer: string }
  | {
      id: 'github';
      kind: 'oauth2';
      clientId: string;
      clientSecret: string;
      authorizationUrl: string;
      tokenUrl: string;
      apiUrl: string;
    };

/** The providers turned on, or the problems that stop the service from starting. */
export function toSocialProviders(e: Record<string, unknown>): {
  providers: SocialProviderConfig[];
  problems: { variable: string; message: string }[];
} {
  const s = (key: string) => (typeof e[key] === 'string' && e[key] !== '' ? e[key] : undefined);
  const listed = [
    ...new Set(
      (s('OAUTH_PROVIDERS') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ] as SocialProvider[];
  const providers: SocialProviderConfig[] = [];
  const problems: { variable: string; message: string }[] = [];
  for (const id of listed) {
    const prefix = `OAUTH_${id.toUpperCase()}`;
    const clientId = s(`${prefix}_CLIENT_ID`);
    const clientSecret = s(`${prefix}_CLIENT_SECRET`);
    if (!clientId || !clientSecret) {
      problems.push({
        variable: `${prefix}_CLIENT_ID`,
        message: `and ${prefix}_CLIENT_SECRET are required when OAUTH_PROVIDERS names ${id}`,
      });
      continue;
    }
    if (id === 'github') {
      const web = (s('OAUTH_GITHUB_URL') ?? 'https://github.com').replace(/\/+$/, '');
      providers.push({
        id,
        kind: 'oauth2',
        clientId,
        clientSecret,
        authorizationUrl: `${web}/login/oauth/authorize`,
        tokenUrl: `${web}/login/oauth/access_token`,
        apiUrl: (s('OAUTH_GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''),
      });
      continue;
    }
    const issuer = s(`${prefix}_ISSUER`) ?? (id === 'google' ? DEFAULT_GOOGLE_ISSUER : undefined);
    if (!issuer) {
      problems.push({
        variable: `${prefix}_ISSUER`,
        message: `is required when OAUTH_PROVIDERS names ${id} (the issuer of its id_tokens)`,
      });
      continue;
    }
    providers.push({ id, kind: 'oidc', clientId, clientSecret, issuer });
  }
  return { providers, problems };
}
