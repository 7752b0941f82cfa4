import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/** Per tenant: whether single sign-on is required, and the owners who may still use a password. */
export class SsoPolicies0008 implements SchemaMigration {
  readonly name = '0008-sso-policies';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.sso_policies (
        tenant_id uuid PRIMARY KEY,
        sso_required boolean NOT NULL DEFAULT false,
        break_glass_user_ids uuid[] NOT NULL DEFAULT '{}',
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
