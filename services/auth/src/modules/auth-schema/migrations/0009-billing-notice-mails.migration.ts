import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Billing notices mailed: one row per notice and recipient, claimed before the mail leaves, so a
 * redelivered or re-published `billing.notice.v1` never mails anyone twice. A mail the server does
 * not take stays queued (`pending`, with the message and the next attempt) and is tried again by
 * the retry pass until sent or given up (`failed`).
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
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'pending', 'failed')),
        message jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        next_attempt_at timestamptz,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notice_id, email)
      )`);
    await q.query(
      `CREATE INDEX billing_notice_mails_due ON auth.billing_notice_mails (next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
  }
}
