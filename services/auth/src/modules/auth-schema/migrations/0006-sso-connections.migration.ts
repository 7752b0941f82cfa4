import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Single sign-on: a tenant's connections to its identity provider (at most one per protocol), and
 * the trace of each login attempt at a connection (checks passed or failed, attributes received;
 * never the assertion itself), of which the newest are kept per connection.
 */
export class SsoConnections0006 implements SchemaMigration {
  readonly name = '0006-sso-connections';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.sso_connections (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        protocol text NOT NULL CHECK (protocol IN ('saml')),
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT false,
        idp jsonb NOT NULL,
        attribute_mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
        default_role text NOT NULL CHECK (default_role IN ('admin', 'member', 'billing')),
        group_roles jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sso_connections_tenant_protocol_key UNIQUE (tenant_id, protocol)
      )`);
    await q.query(`
      CREATE TABLE auth.sso_login_traces (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        connection_id uuid NOT NULL REFERENCES auth.sso_connections (id) ON DELETE CASCADE,
        outcome text NOT NULL CHECK (outcome IN ('success', 'rejected')),
        reason text,
        steps jsonb NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        name_id text,
        user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX sso_login_traces_connection_idx ON auth.sso_login_traces (connection_id, created_at DESC)`,
    );
  }
}
