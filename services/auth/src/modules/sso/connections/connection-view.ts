import type { SsoConnectionView } from '@parley/contracts';
import { serviceProviderOf } from '../service-provider';
import { certificateExpiry } from './idp-certificate';
import type { SsoConnection } from './sso-connections.repository';

/** A connection as the admin API shows it: with our SP values and each certificate's expiry. */
export function connectionView(connection: SsoConnection, publicUrl: string, tenantSlug: string): SsoConnectionView {
  return {
    id: connection.id,
    protocol: connection.protocol,
    name: connection.name,
    enabled: connection.enabled,
    idp: { ...connection.idp, certificateExpiries: connection.idp.certificates.map(certificateExpiry) },
    attributeMapping: connection.attributeMapping,
    defaultRole: connection.defaultRole,
    groupRoles: connection.groupRoles,
    serviceProvider: serviceProviderOf(publicUrl, tenantSlug),
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
}
