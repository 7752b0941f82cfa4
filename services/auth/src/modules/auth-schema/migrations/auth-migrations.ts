import type { SchemaMigration } from '@parley/tenancy';
import type { SchemaMigrationPlan } from '@parley/tenancy';
import { AuthInit0001 } from './0001-auth-init.migration';
import { MembersKeysInvites0002 } from './0002-members-keys-invites.migration';
import { SignupSagas0003 } from './0003-signup-sagas.migration';
import { SsoConnections0004 } from './0004-sso-connections.migration';

/** Auth schema migrations, in order. Append only. */
export const AUTH_MIGRATIONS: readonly SchemaMigration[] = [
  new AuthInit0001(),
  new MembersKeysInvites0002(),
  new SignupSagas0003(),
  new SsoConnections0004(),
];

export const AUTH_SCHEMA_PLAN: SchemaMigrationPlan = {
  schema: 'auth',
  ledgerTable: 'auth_migrations',
  lockKey: 7_134_101,
  migrations: AUTH_MIGRATIONS,
};
