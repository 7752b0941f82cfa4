import type { SchemaMigration } from '@parley/tenancy';
import type { SchemaMigrationPlan } from '@parley/tenancy';
import { AuthInit0001 } from './0001-auth-init.migration';
import { MembersKeysInvites0002 } from './0002-members-keys-invites.migration';
import { SignupSagas0003 } from './0003-signup-sagas.migration';
import { TenantDomains0004 } from './0004-tenant-domains.migration';
import { Scim0005 } from './0005-scim.migration';
import { SsoConnections0006 } from './0006-sso-connections.migration';
import { SsoProtocols0007 } from './0007-sso-protocols.migration';
import { SsoPolicies0008 } from './0008-sso-policies.migration';
import { BillingNoticeMails0009 } from './0009-billing-notice-mails.migration';
import { SamlSessions0010 } from './0010-saml-sessions.migration';
import { SpNextSigningKey0011 } from './0011-sp-next-signing-key.migration';

/** Auth schema migrations, in order. Append only. */
export const AUTH_MIGRATIONS: readonly SchemaMigration[] = [
  new AuthInit0001(),
  new MembersKeysInvites0002(),
  new SignupSagas0003(),
  new TenantDomains0004(),
  new Scim0005(),
  new SsoConnections0006(),
  new SsoProtocols0007(),
  new SsoPolicies0008(),
  new BillingNoticeMails0009(),
  new SamlSessions0010(),
  new SpNextSigningKey0011(),
];

export const AUTH_SCHEMA_PLAN: SchemaMigrationPlan = {
  schema: 'auth',
  ledgerTable: 'auth_migrations',
  lockKey: 7_134_101,
  migrations: AUTH_MIGRATIONS,
};
