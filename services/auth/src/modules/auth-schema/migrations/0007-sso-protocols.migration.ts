import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Single sign-on by OIDC and LDAP besides SAML: the protocol check widened, and the connection's
 * secret (the OIDC client secret, the LDAP bind password) sealed with the auth service's
 * key-encryption key, the connection id as associated data. Per-protocol settings stay in `idp`.
 */
export class SsoProtocols0007 implements SchemaMigration {
  readonly name = '0007-sso-protocols';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.sso_connections DROP CONSTRAINT sso_connections_protocol_check`);
    await q.query(
      `ALTER TABLE auth.sso_connections ADD CONSTRAINT sso_connections_protocol_check
         CHECK (protocol IN ('saml', 'oidc', 'ldap'))`,
    );
    await q.query(`ALTER TABLE auth.sso_connections ADD COLUMN sealed_secret bytea`);
  }
}
