import { z } from 'zod';

/**
 * OIDC single sign-on per tenant: the presets the console offers (each with the issuer URL to fill
 * in and the claim its groups come in), the algorithms an id_token may be signed with, and the
 * connection's settings.
 */

export const OIDC_PRESETS = {
  entra: {
    label: 'Microsoft Entra ID',
    issuerTemplate: 'https://login.microsoftonline.com/{tenantId}/v2.0',
    groupsClaim: 'groups',
  },
  okta: { label: 'Okta', issuerTemplate: 'https://{yourOktaDomain}/oauth2/default', groupsClaim: 'groups' },
  google: { label: 'Google Workspace', issuerTemplate: 'https://accounts.google.com', groupsClaim: 'groups' },
  keycloak: { label: 'Keycloak', issuerTemplate: 'https://{host}/realms/{realm}', groupsClaim: 'groups' },
  generic: { label: 'Generic OIDC', issuerTemplate: 'https://{issuer}', groupsClaim: 'groups' },
} as const satisfies Record<string, { label: string; issuerTemplate: string; groupsClaim: string }>;
export const OIDC_PRESET_IDS = ['entra', 'okta', 'google', 'keycloak', 'generic'] as const;
export type OidcPreset = (typeof OIDC_PRESET_IDS)[number];

/** Asymmetric algorithms only: never `none`, never HS* (the client secret is not a signing key here). */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

export const OIDC_LIMITS = {
  /** Clock skew accepted on exp / iat / nbf, in seconds. */
  clockSkewSeconds: 60,
  /** A login's state, nonce and PKCE verifier live this long in Redis (single use). */
  stateTtlSeconds: 600,
  /** Discovery documents and JWKS are cached this long. */
  discoveryCacheSeconds: 3600,
  /** Discovery / JWKS / token answers: whole answer within this many ms, at most this many bytes. */
  fetchTimeoutMs: 5_000,
  fetchBytes: 262_144,
} as const;

const issuerUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => !v.includes('{'), 'fill in the placeholders of the preset');

const claimName = z.string().trim().min(1).max(256);

/**
 * A tenant's OIDC IdP (the admin's input). `clientSecret` is required on creation; on replacement
 * an absent one keeps the stored secret. It is encrypted at rest and never shown again (only its
 * last characters, `clientSecretHint`).
 */
export const oidcSettingsInputSchema = z.strictObject({
  preset: z.enum(OIDC_PRESET_IDS).default('generic'),
  issuer: issuerUrl,
  clientId: z.string().trim().min(1).max(512),
  clientSecret: z.string().min(1).max(2048).optional(),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'must be a scope token'))
    .max(20)
    .default(['openid', 'email', 'profile']),
  /** The claim that lists the person's groups (the preset's when absent). */
  groupsClaim: claimName.optional(),
  allowedAlgorithms: z.array(z.enum(OIDC_ALGORITHMS)).min(1).max(OIDC_ALGORITHMS.length).default(['RS256']),
});
export type OidcSettingsInput = z.infer<typeof oidcSettingsInputSchema>;

/** The OIDC settings as the admin API shows them: no secret, a hint of it. */
export type OidcSettingsView = Omit<OidcSettingsInput, 'clientSecret' | 'groupsClaim'> & {
  groupsClaim: string;
  clientSecretHint: string;
};
