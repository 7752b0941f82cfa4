import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * The sign-up saga's log: one row per cloud sign-up in flight, written before its
 * `tenant.create.v2` is sent and deleted by the transaction that ends it (the owner's, or the one
 * writing its compensation). A row past `expires_at` belongs to a sign-up whose auth process died
 * or could not compensate: the sweep job abandons it.
 */
export class SignupSagas0003 implements SchemaMigration {
  readonly name = '0003-signup-sagas';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.signup_sagas (
        signup_id uuid PRIMARY KEY,
        slug text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX signup_sagas_expires_idx ON auth.signup_sagas (expires_at)`);
  }
}
