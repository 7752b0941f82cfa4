import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * SCIM 2.0 directory sync per tenant: the directory's bearer token (sha256 only) and role settings,
 * the users and groups the identity provider pushed (a user row outlives a deactivation: SCIM reads
 * it back with `active: false`), and group membership, which drives roles.
 */
export class Scim0005 implements SchemaMigration {
  readonly name = '0005-scim';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.scim_directories (
        tenant_id uuid PRIMARY KEY,
        token_hash bytea NOT NULL UNIQUE,
        token_hint text NOT NULL,
        default_role text NOT NULL DEFAULT 'member' CHECK (default_role IN ('admin', 'member', 'billing')),
        group_roles jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE auth.scim_users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
        user_name text NOT NULL,
        external_id text,
        active boolean NOT NULL DEFAULT true,
        display_name text,
        given_name text,
        family_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (tenant_id, user_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX scim_users_user_name_uq ON auth.scim_users (tenant_id, lower(user_name))`);
    await q.query(`
      CREATE TABLE auth.scim_groups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        display_name text NOT NULL,
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX scim_groups_name_uq ON auth.scim_groups (tenant_id, lower(display_name))`);
    await q.query(`
      CREATE TABLE auth.scim_group_members (
        group_id uuid NOT NULL REFERENCES auth.scim_groups (id) ON DELETE CASCADE,
        scim_user_id uuid NOT NULL REFERENCES auth.scim_users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, scim_user_id)
      )`);
  }
}
