import { z } from 'zod';
import { roleSchema } from './roles';
import {
  SSO_LIMITS,
  attributeMappingSchema,
  groupRoleSchema,
  samlConnectionInputSchema,
  type AttributeMapping,
  type SamlConnectionView,
} from './sso';
import { ldapSettingsInputSchema, type LdapSettingsView } from './sso-ldap';
import { oidcSettingsInputSchema, type OidcSettingsView } from './sso-oidc';

/**
 * A connection of any protocol, as the admin API takes and shows it: a union discriminated by
 * `protocol` (SAML's shape is unchanged). Secrets (the OIDC client secret, the LDAP bind password)
 * are taken, encrypted at rest, and never shown again: only a hint of them.
 */

const common = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(false),
  defaultRole: roleSchema.exclude(['owner']).default('member'),
  groupRoles: z.array(groupRoleSchema).max(SSO_LIMITS.groupRoles).default([]),
};

export const oidcConnectionInputSchema = z.strictObject({
  protocol: z.literal('oidc'),
  ...common,
  oidc: oidcSettingsInputSchema,
  /** Claims for the name and email (defaults `email`, `name`); groups come from `oidc.groupsClaim`. */
  attributeMapping: attributeMappingSchema.default({}),
});
export type OidcConnectionInput = z.infer<typeof oidcConnectionInputSchema>;

export const ldapConnectionInputSchema = z.strictObject({
  protocol: z.literal('ldap'),
  ...common,
  ldap: ldapSettingsInputSchema,
});
export type LdapConnectionInput = z.infer<typeof ldapConnectionInputSchema>;

export const ssoConnectionInputSchema = z.discriminatedUnion('protocol', [
  samlConnectionInputSchema,
  oidcConnectionInputSchema,
  ldapConnectionInputSchema,
]);
export type SsoConnectionInput = z.infer<typeof ssoConnectionInputSchema>;

interface ConnectionViewBase {
  id: string;
  name: string;
  enabled: boolean;
  defaultRole: z.infer<typeof roleSchema>;
  groupRoles: z.infer<typeof groupRoleSchema>[];
  createdAt: string;
  updatedAt: string;
}

export interface OidcConnectionView extends ConnectionViewBase {
  protocol: 'oidc';
  oidc: OidcSettingsView;
  attributeMapping: AttributeMapping;
  /** What to give the IdP: the exact redirect URI, and where a login starts. */
  relyingParty: { redirectUri: string; loginUrl: string };
}

export interface LdapConnectionView extends ConnectionViewBase {
  protocol: 'ldap';
  ldap: LdapSettingsView;
  /** Where members sign in with their directory login and password. */
  signInUrl: string;
}

export type SsoConnectionView = SamlConnectionView | OidcConnectionView | LdapConnectionView;
