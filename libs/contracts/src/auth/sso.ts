import { z } from 'zod';
import { roleSchema } from './roles';

/**
 * Single sign-on: a tenant's connections to its identity provider (SAML 2.0, OIDC, LDAP), their public
 * routes, the admin API's shapes and the reasons an assertion is refused. Declared once here and used
 * by the auth service, the gateway and the web app.
 */

/** Public routes (the gateway forwards `/api/v1/sso/*` to the auth service's `/sso/*`). */
export const SSO_PUBLIC_PREFIX = '/api/v1/sso';
/** The auth service's own prefix of the same routes. */
export const SSO_SERVICE_PREFIX = '/sso';

export const SSO_SAML_ROUTES = {
  /** `GET`: our service provider metadata (XML) for the tenant's IdP. */
  metadata: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/saml/${tenantSlug}/metadata`,
  /** `GET ?redirectTo=/path`: SP-initiated login, an HTTP-Redirect to the IdP. */
  login: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/saml/${tenantSlug}/login`,
  /** `POST` (form: SAMLResponse, RelayState): the assertion consumer service, HTTP-POST binding. */
  acs: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/saml/${tenantSlug}/acs`,
  /**
   * `GET` (HTTP-Redirect) or `POST` (HTTP-POST form): single logout. The IdP's LogoutResponse to our
   * LogoutRequest, or its own LogoutRequest (IdP-initiated: the sessions of that NameID end).
   */
  slo: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/saml/${tenantSlug}/slo`,
} as const;

/** Where the browser lands after a single logout (ours or the IdP's) completed. */
export const SSO_SIGNED_OUT_PATH = '/sign-in';

export const SSO_OIDC_ROUTES = {
  /** `GET ?redirectTo=/path` (or `?test=1`): a 302 to the IdP's authorization endpoint (code + PKCE S256). */
  login: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/oidc/${tenantSlug}/login`,
  /** `GET ?code&state`: the exact redirect URI registered at the IdP. */
  callback: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/oidc/${tenantSlug}/callback`,
} as const;

export const SSO_LDAP_ROUTES = {
  /** `POST {login, password}`: sign-in against the tenant's directory; answers like sign-in. */
  signIn: (tenantSlug: string) => `${SSO_PUBLIC_PREFIX}/ldap/${tenantSlug}/sign-in`,
} as const;

/**
 * Where a test login (`login?test=1`, the console's Test connection) lands: no session is opened,
 * the trace id is in the query (`?test=<traceId>`) for the console to read the trace.
 */
export const SSO_TEST_RESULT_PATH = '/admin/sso';

/** What the ACS answers for a test login (the gateway turns it into a 303 to `redirectTo`). */
export interface SsoTestLoginResult {
  test: true;
  traceId: string;
  redirectTo: string;
}

/** Admin routes (owners and admins of the access token's tenant). */
export const SSO_ADMIN_ROUTES = {
  connections: '/api/v1/auth/sso/connections',
  connection: (id: string) => `/api/v1/auth/sso/connections/${id}`,
  traces: (id: string) => `/api/v1/auth/sso/connections/${id}/traces`,
  /** `POST`: an LDAP connection's test (bind, optionally a probe login). */
  test: (id: string) => `/api/v1/auth/sso/connections/${id}/test`,
  /** `POST`: a SAML connection's next signing key of ours, published beside the current one; `DELETE`: discard it. */
  nextSigningKey: (id: string) => `/api/v1/auth/sso/connections/${id}/signing-key/next`,
  /** `POST`: the next signing key becomes the one that signs; the old one is dropped. */
  activateSigningKey: (id: string) => `/api/v1/auth/sso/connections/${id}/signing-key/activate`,
} as const;

export const SSO_PROTOCOLS = ['saml', 'oidc', 'ldap'] as const;
export const ssoProtocolSchema = z.enum(SSO_PROTOCOLS);
export type SsoProtocol = z.infer<typeof ssoProtocolSchema>;

/** Limits of a connection's configuration. */
export const SSO_LIMITS = {
  /** Signing certificates accepted at once (rollover). */
  certificates: 5,
  /** One PEM or base64 DER certificate. */
  certificateChars: 16_384,
  /** An uploaded or fetched IdP metadata document. */
  metadataChars: 262_144,
  /** Fetching a metadata URL: whole answer within this many ms. */
  metadataFetchTimeoutMs: 5_000,
  /** Rows of the group-to-role table. */
  groupRoles: 100,
  /** A posted SAMLResponse (base64), and so the form body of the ACS. */
  samlResponseChars: 262_144,
  /** The ACS form body (SAMLResponse URL-encoded, RelayState): what the gateway and auth accept. */
  acsFormBytes: 400_000,
  /** A RelayState (our own path). */
  relayStateChars: 512,
  /** An inflated SAML message of the HTTP-Redirect binding (single logout). */
  redirectInflatedChars: 65_536,
  /**
   * An IdP's LogoutRequest is accepted this long after its IssueInstant (± the clock skew), and its
   * id is remembered that long so it is never accepted twice.
   */
  logoutRequestMaxAgeMs: 5 * 60_000,
  /** Login traces kept per connection, and for at most this many days. */
  traces: 20,
  traceDays: 7,
} as const;

const httpsOrHttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2048 characters');

export const samlIdpSettingsSchema = z.object({
  entityId: z.string().trim().min(1).max(1024),
  ssoUrl: httpsOrHttpUrl,
  /** The IdP's SingleLogoutService (HTTP-Redirect binding): read from metadata, or entered by hand. */
  sloUrl: httpsOrHttpUrl.optional(),
  certificates: z
    .array(z.string().trim().min(1).max(SSO_LIMITS.certificateChars))
    .min(1, 'at least one signing certificate')
    .max(SSO_LIMITS.certificates),
});
/** The IdP as stored: by hand, or read from metadata (then where and when it was fetched). */
export type SamlIdpSettings = z.infer<typeof samlIdpSettingsSchema> & {
  metadataUrl?: string;
  /** When the metadata was last read successfully (on save, then by the daily refresh). */
  metadataFetchedAt?: string;
  /** When the daily refresh last tried (successfully or not). */
  metadataCheckedAt?: string;
  /** Why the last refresh failed (the settings in use were kept); absent after a success. */
  metadataRefreshError?: string;
  /** IdP-initiated logins accepted (the connection's `allowIdpInitiated`; absent: false). */
  allowIdpInitiated?: boolean;
  /** Single logout on (the connection's `singleLogout`; absent: false). */
  singleLogout?: boolean;
  /** Our AuthnRequests signed (the connection's `signAuthnRequests`; absent: false). */
  signAuthnRequests?: boolean;
  /**
   * Our signing certificate (PEM, self-signed, made for this connection when single logout is
   * first turned on), published in our SP metadata; its private key is sealed with the connection.
   */
  spCertificate?: string;
};

/** Which attribute of the assertion holds what (the NameID is the email when `email` is absent). */
export const attributeMappingSchema = z
  .object({
    email: z.string().trim().min(1).max(256).optional(),
    name: z.string().trim().min(1).max(256).optional(),
    groups: z.string().trim().min(1).max(256).optional(),
  })
  .strict();
export type AttributeMapping = z.infer<typeof attributeMappingSchema>;

export const groupRoleSchema = z
  .object({ group: z.string().trim().min(1).max(256), role: roleSchema.exclude(['owner']) })
  .strict();

/**
 * Creating or replacing a SAML connection: the IdP by metadata XML (`idpMetadataXml`) or by hand
 * (`idp`), never both. JIT-provisioned members get `defaultRole` unless a group maps to another.
 */
export const samlConnectionInputSchema = z
  .object({
    protocol: z.literal('saml'),
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean().default(false),
    idp: samlIdpSettingsSchema.optional(),
    idpMetadataXml: z.string().min(1).max(SSO_LIMITS.metadataChars).optional(),
    /** Fetched once on save through the egress policy (https to public addresses in cloud mode). */
    idpMetadataUrl: httpsOrHttpUrl.optional(),
    attributeMapping: attributeMappingSchema.default({}),
    defaultRole: roleSchema.exclude(['owner']).default('member'),
    groupRoles: z.array(groupRoleSchema).max(SSO_LIMITS.groupRoles).default([]),
    /**
     * Accept logins the IdP starts (from its app dashboard: a response answering no request of
     * ours). Off by default: an unsolicited response can sign a browser into someone else's session
     * (login CSRF), so only turn it on when people start from the IdP.
     */
    allowIdpInitiated: z.boolean().default(false),
    /**
     * SAML single logout (off by default): signing out of Parley also ends the IdP session (a signed
     * LogoutRequest to the IdP's `sloUrl`), and the IdP's LogoutRequest ends the Parley sessions of
     * that person. Needs the IdP's `sloUrl` (by hand, or from its metadata).
     */
    singleLogout: z.boolean().default(false),
    /**
     * Sign our AuthnRequests (off by default; always on with single logout): for an IdP that
     * requires signed requests. Our certificate is then published in our metadata.
     */
    signAuthnRequests: z.boolean().default(false),
  })
  .strict()
  .refine((v) => [v.idp, v.idpMetadataXml, v.idpMetadataUrl].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of idp, idpMetadataXml, idpMetadataUrl',
    path: ['idp'],
  })
  .refine((v) => !v.singleLogout || v.idp === undefined || v.idp.sloUrl !== undefined, {
    message: "single logout needs the IdP's single logout URL",
    path: ['idp', 'sloUrl'],
  });
export type SamlConnectionInput = z.infer<typeof samlConnectionInputSchema>;

/** A SAML connection as the admin API shows it. */
export interface SamlConnectionView {
  id: string;
  protocol: 'saml';
  name: string;
  enabled: boolean;
  idp: SamlIdpSettings & {
    certificateExpiries: (string | null)[];
    /**
     * Our next signing certificate while a key rotation is under way: published in our metadata
     * beside `spCertificate` until it is activated (then it becomes `spCertificate`) or discarded.
     */
    spNextCertificate?: string;
  };
  attributeMapping: AttributeMapping;
  defaultRole: z.infer<typeof roleSchema>;
  groupRoles: z.infer<typeof groupRoleSchema>[];
  /** What to give the IdP: our entity id, ACS URL, metadata URL and single logout URL for this tenant. */
  serviceProvider: { entityId: string; acsUrl: string; metadataUrl: string; loginUrl: string; sloUrl: string };
  createdAt: string;
  updatedAt: string;
}

/** Why an assertion (or a login attempt) was refused: `details.reason` of `sso_login_rejected`. */
export const SSO_REJECTION_REASONS = [
  'connection_disabled',
  'response_missing',
  'response_too_large',
  'response_malformed',
  'doctype_refused',
  'comment_refused',
  'signature_missing',
  'signature_invalid',
  'weak_algorithm',
  'issuer_mismatch',
  'audience_mismatch',
  'recipient_mismatch',
  'destination_mismatch',
  'in_response_to_invalid',
  'assertion_replayed',
  'assertion_expired',
  'assertion_not_yet_valid',
  'idp_error',
  'email_missing',
  'relay_state_invalid',
  // SAML single logout
  'logout_request_replayed',
  'logout_request_expired',
  'single_logout_disabled',
  // OIDC
  'state_invalid',
  'token_exchange_failed',
  'idp_unreachable',
  'algorithm_not_allowed',
  'token_expired',
  'azp_mismatch',
  'nonce_mismatch',
  'email_unverified',
  // social sign-in (platform-wide)
  'account_not_found',
] as const;
export type SsoRejectionReason = (typeof SSO_REJECTION_REASONS)[number];

/** One check of a login trace (the console's Test connection shows them in order). */
export interface SsoTraceStep {
  check: string;
  ok: boolean;
  detail?: string;
}

/** The record of one login attempt at a connection, secrets redacted (no assertion, no tokens). */
export interface SsoLoginTrace {
  id: string;
  connectionId: string;
  outcome: 'success' | 'rejected';
  reason: SsoRejectionReason | null;
  steps: SsoTraceStep[];
  /** Attributes the IdP sent (names and values), for the attribute mapping preview. */
  attributes: Record<string, string[]>;
  nameId: string | null;
  userId: string | null;
  createdAt: string;
}
