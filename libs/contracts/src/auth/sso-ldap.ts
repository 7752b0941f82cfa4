import { z } from 'zod';

/** The longest a tenant's directory may take to answer one step (connect, bind, search). */
export const LDAP_MAX_TIMEOUT_MS = 10_000;

/** A DN: any printable text, bounded (the directory is the judge of its syntax). */
const dn = z
  .string()
  .min(3)
  .max(1024)
  .refine((value) => !/[\u0000-\u001f]/.test(value), 'must not contain control characters');

/**
 * A tenant's LDAP / Active Directory connection (the admin's input). The service account
 * (`bindDn` + `bindPassword`) searches for the person by `userFilter`, where `{login}` is replaced
 * by what they typed (escaped per RFC 4515); the person is then authenticated by binding as the DN
 * found. `ldaps://` or `ldap://` with `startTls` (required in cloud mode); `caCertificate` pins the
 * directory's CA (PEM) when it is not publicly trusted.
 */
export const ldapSettingsSchema = z.strictObject({
  url: z
    .string()
    .max(500)
    .regex(/^ldaps?:\/\/[^/?#\s]+\/?$/i, 'must be ldap://host[:port] or ldaps://host[:port]'),
  startTls: z.boolean().default(false),
  caCertificate: z
    .string()
    .max(20_000)
    .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'must be a PEM certificate')
    .optional(),
  bindDn: dn,
  bindPassword: z.string().min(1).max(512),
  userBaseDn: dn,
  userFilter: z
    .string()
    .max(500)
    .refine((value) => value.includes('{login}'), 'must contain {login}')
    .refine((value) => value.startsWith('(') && value.endsWith(')'), 'must be a parenthesised LDAP filter')
    .default('(|(mail={login})(uid={login})(sAMAccountName={login}))'),
  emailAttribute: z.string().min(1).max(64).default('mail'),
  nameAttribute: z.string().min(1).max(64).default('cn'),
  groupsAttribute: z.string().min(1).max(64).default('memberOf'),
  timeoutMs: z.number().int().min(500).max(LDAP_MAX_TIMEOUT_MS).default(5000),
});

export type LdapSettings = z.infer<typeof ldapSettingsSchema>;

/** The LDAP settings as the admin input carries them: the bind password may be left out on replacement. */
export const ldapSettingsInputSchema = ldapSettingsSchema.extend({
  bindPassword: z.string().min(1).max(512).optional(),
});

/** The LDAP settings as the admin API shows them: no bind password, a hint of it. */
export type LdapSettingsView = Omit<LdapSettings, 'bindPassword'> & { bindPasswordHint: string };

/** `POST /api/v1/sso/ldap/{tenantSlug}/sign-in`: the person's directory login (email, uid…) and password. */
export const ldapSignInBodySchema = z.strictObject({
  login: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(1024),
});
export type LdapSignInBody = z.infer<typeof ldapSignInBodySchema>;

/** `POST /api/v1/auth/sso/connections/{id}/test` (LDAP): a probe login is optional. */
export const ldapTestBodySchema = z.strictObject({
  probe: ldapSignInBodySchema.optional(),
});
export type LdapTestBody = z.infer<typeof ldapTestBodySchema>;

/** One step of an LDAP connection test, in order. */
export interface LdapCheck {
  step: 'policy' | 'connect' | 'tls' | 'service-bind' | 'search' | 'user-bind' | 'attributes';
  ok: boolean;
  detail: string;
}

/** The person a probe login found (group names: the `cn` of each group DN). */
export interface LdapIdentity {
  dn: string;
  email: string;
  name: string;
  groups: string[];
}

/** The answer of an LDAP connection test: each step, and who the probe login is when one was given. */
export interface LdapTestResult {
  ok: boolean;
  checks: LdapCheck[];
  identity: LdapIdentity | null;
}
