import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Billing notices mailed: one row per notice and recipient, claimed before the mail leaves, so a
 * redelivered or re-published `billing.notice.v1` never mails anyone twice.
 */
export class BillingNoticeMails0009 implements SchemaMigration {
  readonly name = '0009-billing-notice-mails';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.billing_notice_mails (
        notice_id text NOT NULL,
        email text NOT NULL,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notice_id, email)
      )`);
  }
}
