import { SSO_LDAP_ROUTES, SSO_OIDC_ROUTES, type SsoConnectionView } from '@parley/contracts';
import { serviceProviderOf } from '../service-provider';
import { certificateExpiry } from './idp-certificate';
import type { SsoConnection } from './sso-connections.repository';

/**
 * A connection as the admin API shows it: SAML with our SP values and each certificate's expiry,
 * OIDC with the exact redirect URI to register, LDAP with its sign-in URL; never a secret.
 */
export function connectionView(connection: SsoConnection, publicUrl: string, tenantSlug: string): SsoConnectionView {
  const common = {
    id: connection.id,
    name: connection.name,
    enabled: connection.enabled,
    defaultRole: connection.defaultRole,
    groupRoles: connection.groupRoles,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
  switch (connection.protocol) {
    case 'saml':
      return {
        ...common,
        protocol: 'saml',
        idp: {
          ...connection.idp,
          certificateExpiries: connection.idp.certificates.map(certificateExpiry),
          ...(connection.spNextKey ? { spNextCertificate: connection.spNextKey.certificatePem } : {}),
        },
        attributeMapping: connection.attributeMapping,
        serviceProvider: serviceProviderOf(publicUrl, tenantSlug),
      };
    case 'oidc':
      return {
        ...common,
        protocol: 'oidc',
        oidc: connection.idp,
        attributeMapping: connection.attributeMapping,
        relyingParty: {
          redirectUri: `${publicUrl}${SSO_OIDC_ROUTES.callback(tenantSlug)}`,
          loginUrl: `${publicUrl}${SSO_OIDC_ROUTES.login(tenantSlug)}`,
        },
      };
    case 'ldap':
      return {
        ...common,
        protocol: 'ldap',
        ldap: connection.idp,
        signInUrl: `${publicUrl}${SSO_LDAP_ROUTES.signIn(tenantSlug)}`,
      };
  }
}
