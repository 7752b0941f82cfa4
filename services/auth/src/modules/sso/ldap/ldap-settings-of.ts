import type { LdapSettings } from '@parley/contracts';
import type { LdapConnection } from '../connections/sso-connections.repository';
import type { SsoSecrets } from '../connections/sso-secrets';

/** A stored LDAP connection's settings with its bind password opened, for LdapDirectory. */
export function ldapSettingsOf(connection: LdapConnection, secrets: SsoSecrets): LdapSettings {
  const { bindPasswordHint: _hint, ...settings } = connection.idp;
  return { ...settings, bindPassword: secrets.open(connection) };
}
