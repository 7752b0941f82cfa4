import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * A SAML connection's next signing key of ours while a rotation is under way: its certificate
 * (published in our metadata beside the current one) and its private key, sealed like the current
 * one (`sealed_secret`). Both are null outside a rotation.
 */
export class SpNextSigningKey0011 implements SchemaMigration {
  readonly name = '0011-sp-next-signing-key';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE auth.sso_connections ADD COLUMN sp_next_certificate text, ADD COLUMN sealed_next_secret bytea`,
    );
    await q.query(
      `ALTER TABLE auth.sso_connections ADD CONSTRAINT sso_connections_sp_next_key_check
         CHECK ((sp_next_certificate IS NULL) = (sealed_next_secret IS NULL))`,
    );
  }
}
