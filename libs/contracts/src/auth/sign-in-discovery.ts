import { z } from 'zod';

/** `POST /api/v1/auth/sign-in/discover`: where a person with this email signs in (home-realm discovery). */
export const discoverSignInBodySchema = z.strictObject({ email: z.string().min(3).max(254) });

/**
 * `password`: the usual form. `sso`: the email's domain is verified by an organisation with an
 * enabled connection — `saml`/`oidc` go to `loginUrl` (a redirect to the IdP), `ldap` shows a
 * password form posting to `/api/v1/sso/ldap/{tenantSlug}/sign-in`. `passwordAllowed` is false when
 * the organisation requires single sign-on (its break-glass owners may still use a password).
 */
export const signInDiscoverySchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password') }),
  z.object({
    method: z.literal('sso'),
    protocol: z.enum(['saml', 'oidc', 'ldap']),
    tenantSlug: z.string(),
    tenantName: z.string(),
    loginUrl: z.string().nullable(),
    passwordAllowed: z.boolean(),
  }),
]);
export type SignInDiscovery = z.infer<typeof signInDiscoverySchema>;
