import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * The `billing` schema: one row per tenant that has a Stripe customer (with its dunning state),
 * the tenant's subscription as last applied (with the version of the Stripe event that set it, so
 * an older event never undoes a newer one), the usage ledger (one row per usage id: the single
 * source of truth for usage), the webhook events already applied (unique on Stripe's event id) and
 * an invoice cache.
 */
export class BillingInit0001 implements SchemaMigration {
  readonly name = '0001-billing-init';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.customers (
        tenant_id uuid PRIMARY KEY,
        stripe_customer_id text NOT NULL UNIQUE,
        payment_failed_at timestamptz,
        grace_until timestamptz,
        dunning_event_created bigint NOT NULL DEFAULT 0,
        dunning_event_id text NOT NULL DEFAULT '',
        trial_ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.subscriptions (
        tenant_id uuid PRIMARY KEY,
        stripe_subscription_id text NOT NULL,
        status text NOT NULL,
        plan_id text NOT NULL,
        entitled_plan_id text NOT NULL,
        seats integer NOT NULL,
        current_period_start timestamptz,
        current_period_end timestamptz,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        trial_end timestamptz,
        event_created bigint NOT NULL,
        event_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.usage_ledger (
        usage_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid,
        api_key_id uuid,
        kind text NOT NULL CHECK (kind IN ('tokens', 'audio_seconds')),
        provider text,
        engine text,
        quantity numeric(20, 3) NOT NULL CHECK (quantity >= 0),
        cost_micros bigint NOT NULL,
        estimated boolean NOT NULL,
        source_id text NOT NULL,
        recorded_at timestamptz NOT NULL,
        inserted_at timestamptz NOT NULL DEFAULT now(),
        reported_at timestamptz,
        reported_identifier text,
        report_attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        last_error text
      )`);
    await q.query(`CREATE INDEX usage_ledger_tenant_time_idx ON billing.usage_ledger (tenant_id, recorded_at)`);
    await q.query(
      `CREATE INDEX usage_ledger_unreported_idx ON billing.usage_ledger (next_attempt_at) WHERE reported_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE billing.processed_webhook_events (
        event_id text PRIMARY KEY,
        type text NOT NULL,
        event_created bigint NOT NULL,
        tenant_id uuid,
        outcome text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.invoices (
        stripe_invoice_id text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        number text,
        status text NOT NULL,
        amount_due bigint NOT NULL,
        amount_paid bigint NOT NULL,
        currency text NOT NULL,
        hosted_invoice_url text,
        period_start timestamptz,
        period_end timestamptz,
        created_at timestamptz NOT NULL,
        event_created bigint NOT NULL,
        event_id text NOT NULL
      )`);
    await q.query(`CREATE INDEX invoices_tenant_idx ON billing.invoices (tenant_id, created_at DESC)`);
  }
}
