import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Global identity: users (one email, many tenants), memberships, sessions with their refresh-token
 * family, hashed refresh tokens and the access-token signing keys (private keys encrypted).
 * Tenant ids point at control.tenants, owned by the tenant service: no cross-service foreign key.
 */
export class AuthInit0001 implements SchemaMigration {
  readonly name = '0001-auth-init';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.users (
        id uuid PRIMARY KEY,
        email text NOT NULL CONSTRAINT users_email_key UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
        password_hash text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE auth.memberships (
        user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'billing')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (user_id, tenant_id)
      )`);
    await q.query(`CREATE INDEX memberships_tenant_idx ON auth.memberships (tenant_id)`);
    await q.query(`
      CREATE TABLE auth.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        family_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoke_reason text CHECK (revoke_reason IN ('sign_out', 'refresh_token_reused')),
        CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
        FOREIGN KEY (user_id, tenant_id) REFERENCES auth.memberships (user_id, tenant_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX sessions_user_tenant_idx ON auth.sessions (user_id, tenant_id)`);
    await q.query(`CREATE INDEX sessions_family_idx ON auth.sessions (family_id)`);
    await q.query(`
      CREATE TABLE auth.refresh_tokens (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        session_id uuid NOT NULL REFERENCES auth.sessions(id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        replaced_by bytea REFERENCES auth.refresh_tokens(token_hash) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON auth.refresh_tokens (session_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires_idx ON auth.refresh_tokens (expires_at)`);
    await q.query(`
      CREATE TABLE auth.signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL CHECK (alg = 'EdDSA'),
        public_jwk jsonb NOT NULL,
        private_key_pkcs8_enc bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        CHECK (retired_at IS NULL OR activated_at IS NOT NULL)
      )`);
    // At most one active key (activated, not retired) at any time.
    await q.query(`
      CREATE UNIQUE INDEX signing_keys_one_active ON auth.signing_keys ((true))
        WHERE activated_at IS NOT NULL AND retired_at IS NULL`);
  }
}
