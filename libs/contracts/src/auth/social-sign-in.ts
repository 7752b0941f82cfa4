import { z } from 'zod';

/**
 * Platform-wide social sign-in the operator turns on (`OAUTH_PROVIDERS`): Google, Microsoft Entra
 * ID (`azure`) and Okta by OpenID Connect, GitHub by OAuth 2.0 (it has no id_token). It signs in
 * people who already have a Parley account with that verified email; it is not a tenant's SSO.
 */
export const SOCIAL_PROVIDERS = ['google', 'github', 'azure', 'okta'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];
export const socialProviderSchema = z.enum(SOCIAL_PROVIDERS);

/** The names people see on the sign-in buttons. */
export const SOCIAL_PROVIDER_NAMES: Readonly<Record<SocialProvider, string>> = {
  google: 'Google',
  github: 'GitHub',
  azure: 'Microsoft',
  okta: 'Okta',
};

/** Public paths of social sign-in (the gateway forwards them to auth under `/oauth/...`). */
export const SOCIAL_ROUTES = {
  providers: '/api/v1/auth/oauth/providers',
  login: (provider: SocialProvider) => `/api/v1/auth/oauth/${provider}/login`,
  callback: (provider: SocialProvider) => `/api/v1/auth/oauth/${provider}/callback`,
} as const;

/** `GET /api/v1/auth/oauth/providers`: the buttons the sign-in page shows (none when off). */
export const socialProvidersViewSchema = z.object({
  providers: z.array(z.object({ id: socialProviderSchema, name: z.string(), loginUrl: z.string() })),
});
export type SocialProvidersView = z.infer<typeof socialProvidersViewSchema>;

/** Pending social logins (state, PKCE verifier, nonce) live this long in Redis, used once. */
export const SOCIAL_STATE_TTL_SECONDS = 600;
