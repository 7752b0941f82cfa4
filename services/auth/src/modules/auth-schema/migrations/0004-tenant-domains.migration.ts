import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Domains tenants claim for single sign-on. Several tenants may claim a domain; the first to prove
 * it (a TXT record, or a link mailed to an admin mailbox at the domain) holds it, and a verified
 * domain belongs to one tenant only (the partial unique index). The mail link's token is stored as
 * its sha256; the TXT challenge is public by nature and stored as it is.
 */
export class TenantDomains0004 implements SchemaMigration {
  readonly name = '0004-tenant-domains';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.tenant_domains (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        domain text NOT NULL,
        challenge text NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        verified_by text CHECK (verified_by IN ('dns', 'mail')),
        mail_token_hash bytea,
        mail_sent_to text,
        mail_sent_at timestamptz,
        mail_expires_at timestamptz,
        UNIQUE (tenant_id, domain)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX tenant_domains_verified_uq ON auth.tenant_domains (domain) WHERE verified_at IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX tenant_domains_mail_token_uq ON auth.tenant_domains (mail_token_hash)
         WHERE mail_token_hash IS NOT NULL`,
    );
  }
}
