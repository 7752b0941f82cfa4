import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * API keys (prefix + sha256 of the whole key; the key itself is never stored), invites and password
 * resets (single-use tokens stored as sha256, usable only once their mail was sent), and a revoke
 * reason for sessions ended by a password reset.
 */
export class MembersKeysInvites0002 implements SchemaMigration {
  readonly name = '0002-members-keys-invites';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.sessions DROP CONSTRAINT sessions_revoke_reason_check`);
    await q.query(`
      ALTER TABLE auth.sessions ADD CONSTRAINT sessions_revoke_reason_check
        CHECK (revoke_reason IN ('sign_out', 'refresh_token_reused', 'password_reset'))`);
    await q.query(`
      CREATE TABLE auth.api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix text NOT NULL CONSTRAINT api_keys_prefix_key UNIQUE CHECK (prefix ~ '^[a-z0-9]{8}$'),
        secret_hash bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
        scopes text[] NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON auth.api_keys (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE auth.invites (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'billing')),
        token_hash bytea NOT NULL CONSTRAINT invites_token_hash_key UNIQUE CHECK (octet_length(token_hash) = 32),
        invited_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        sent_at timestamptz,
        accepted_at timestamptz,
        accepted_by uuid,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX invites_tenant_email_idx ON auth.invites (tenant_id, email)`);
    await q.query(`
      CREATE TABLE auth.password_resets (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        sent_at timestamptz,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON auth.password_resets (user_id)`);
  }
}
