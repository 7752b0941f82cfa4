import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * What SAML single logout needs of a session opened through a SAML connection: the NameID (and its
 * format) and the SessionIndex the IdP gave at login. Our LogoutRequest names them; the IdP's
 * LogoutRequest finds the sessions to end by them.
 */
export class SamlSessions0010 implements SchemaMigration {
  readonly name = '0010-saml-sessions';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.saml_sessions (
        session_id uuid PRIMARY KEY REFERENCES auth.sessions (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        name_id text NOT NULL,
        name_id_format text,
        session_index text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX saml_sessions_name_id_idx ON auth.saml_sessions (tenant_id, connection_id, name_id)`);
  }
}
