import { Injectable } from '@nestjs/common';
import type { PlanId } from '@parley/config';
import type { SubscriptionStatus } from '@parley/contracts';
import { returning } from '../../common/returning';

/** A statement runner inside the webhook's transaction (a TypeORM QueryRunner). */
export interface Tx {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The version of a Stripe event: its `created` second, then its id (a total order for ties). */
export interface EventVersion {
  created: number;
  id: string;
}

export interface StoredSubscription {
  entitledPlan: PlanId;
  version: EventVersion;
}

export interface SubscriptionState {
  tenantId: string;
  stripeSubscriptionId: string;
  status: SubscriptionStatus;
  plan: PlanId;
  entitledPlan: PlanId;
  seats: number;
  /** The subscription item on the seat price (its quantity follows the member count). */
  seatItemId: string | null;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  trialEnd: number | null;
}

export interface InvoiceState {
  id: string;
  tenantId: string;
  number: string | null;
  status: string;
  amountDue: number;
  amountPaid: number;
  currency: string;
  hostedInvoiceUrl: string | null;
  periodStart: number | null;
  periodEnd: number | null;
  created: number;
}

/** `(a.created, a.id) > (b.created, b.id)`. */
export function isNewer(a: EventVersion, b: EventVersion): boolean {
  return a.created > b.created || (a.created === b.created && a.id > b.id);
}

const ts = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000));

/** Billing's webhook-side writes; each runs in the caller's transaction. */
@Injectable()
export class WebhooksRepository {
  /** Claims the event id; false when it was applied before (or is being applied right now by another delivery). */
  async claimEvent(tx: Tx, event: EventVersion & { type: string }): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO billing.processed_webhook_events (event_id, type, event_created, outcome)
       VALUES ($1, $2, $3, 'pending') ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [event.id, event.type, event.created],
    )) as unknown[];
    return rows.length === 1;
  }

  async settleEvent(tx: Tx, eventId: string, tenantId: string | null, outcome: string): Promise<void> {
    await tx.query(`UPDATE billing.processed_webhook_events SET tenant_id = $2, outcome = $3 WHERE event_id = $1`, [
      eventId,
      tenantId,
      outcome,
    ]);
  }

  async tenantOfEvent(tx: Tx, eventId: string): Promise<string | null> {
    const rows = (await tx.query(`SELECT tenant_id FROM billing.processed_webhook_events WHERE event_id = $1`, [
      eventId,
    ])) as { tenant_id: string | null }[];
    return rows[0]?.tenant_id ?? null;
  }

  /** Serialises every webhook write of one tenant until the transaction ends. */
  async lockTenant(tx: Tx, tenantId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('billing:' || $1::text, 0))`, [tenantId]);
  }

  async tenantOfCustomer(tx: Tx, stripeCustomerId: string): Promise<string | null> {
    const rows = (await tx.query(`SELECT tenant_id FROM billing.customers WHERE stripe_customer_id = $1`, [
      stripeCustomerId,
    ])) as { tenant_id: string }[];
    return rows[0]?.tenant_id ?? null;
  }

  /** Links the tenant to its Stripe customer (the first link stays). */
  async linkCustomer(tx: Tx, tenantId: string, stripeCustomerId: string): Promise<void> {
    await tx.query(
      `INSERT INTO billing.customers (tenant_id, stripe_customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [tenantId, stripeCustomerId],
    );
  }

  async currentSubscription(tx: Tx, tenantId: string): Promise<StoredSubscription | null> {
    const rows = (await tx.query(
      `SELECT entitled_plan_id, event_created, event_id FROM billing.subscriptions WHERE tenant_id = $1`,
      [tenantId],
    )) as { entitled_plan_id: PlanId; event_created: string; event_id: string }[];
    const row = rows[0];
    return row
      ? { entitledPlan: row.entitled_plan_id, version: { created: Number(row.event_created), id: row.event_id } }
      : null;
  }

  async saveSubscription(tx: Tx, s: SubscriptionState, version: EventVersion): Promise<void> {
    await tx.query(
      `INSERT INTO billing.subscriptions AS s (tenant_id, stripe_subscription_id, status, plan_id, entitled_plan_id, seats,
              current_period_start, current_period_end, cancel_at_period_end, trial_end, event_created, event_id, seat_item_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
       ON CONFLICT (tenant_id) DO UPDATE SET stripe_subscription_id = EXCLUDED.stripe_subscription_id,
              status = EXCLUDED.status, plan_id = EXCLUDED.plan_id, entitled_plan_id = EXCLUDED.entitled_plan_id,
              seats = EXCLUDED.seats, current_period_start = EXCLUDED.current_period_start,
              current_period_end = EXCLUDED.current_period_end, cancel_at_period_end = EXCLUDED.cancel_at_period_end,
              trial_end = EXCLUDED.trial_end, event_created = EXCLUDED.event_created, event_id = EXCLUDED.event_id,
              seat_item_id = EXCLUDED.seat_item_id, updated_at = now()`,
      [
        s.tenantId,
        s.stripeSubscriptionId,
        s.status,
        s.plan,
        s.entitledPlan,
        s.seats,
        ts(s.currentPeriodStart),
        ts(s.currentPeriodEnd),
        s.cancelAtPeriodEnd,
        ts(s.trialEnd),
        version.created,
        version.id,
        s.seatItemId,
      ],
    );
  }

  /** Caches the invoice unless a newer event already wrote it; returns whether it was written. */
  async saveInvoice(tx: Tx, invoice: InvoiceState, version: EventVersion): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO billing.invoices AS i (stripe_invoice_id, tenant_id, number, status, amount_due, amount_paid, currency,
              hosted_invoice_url, period_start, period_end, created_at, event_created, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (stripe_invoice_id) DO UPDATE SET number = EXCLUDED.number, status = EXCLUDED.status,
              amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
              hosted_invoice_url = EXCLUDED.hosted_invoice_url, event_created = EXCLUDED.event_created,
              event_id = EXCLUDED.event_id
        WHERE (i.event_created, i.event_id) < (EXCLUDED.event_created, EXCLUDED.event_id)
       RETURNING stripe_invoice_id`,
      [
        invoice.id,
        invoice.tenantId,
        invoice.number,
        invoice.status,
        invoice.amountDue,
        invoice.amountPaid,
        invoice.currency,
        invoice.hostedInvoiceUrl,
        ts(invoice.periodStart),
        ts(invoice.periodEnd),
        ts(invoice.created),
        version.created,
        version.id,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /**
   * The dunning state after a payment event, unless a newer payment event already set it: the
   * newest event alone decides, so any delivery order ends the same. A failure starts the grace
   * period at the failing invoice's finalisation (the same for each retry of that invoice); a
   * payment ends it.
   */
  async setDunning(
    tx: Tx,
    tenantId: string,
    failed: { invoiceFinalizedAt: number; graceDays: number } | null,
    version: EventVersion,
  ): Promise<boolean> {
    const rows = returning(
      await tx.query(
        `UPDATE billing.customers
          SET payment_failed_at = to_timestamp($2::bigint),
              grace_until = to_timestamp($2::bigint) + make_interval(days => $3::int),
              dunning_event_created = $4, dunning_event_id = $5
        WHERE tenant_id = $1 AND (dunning_event_created, dunning_event_id) < ($4::bigint, $5::text)
        RETURNING tenant_id`,
        [tenantId, failed?.invoiceFinalizedAt ?? null, failed?.graceDays ?? 0, version.created, version.id],
      ),
    );
    return rows.length === 1;
  }

  async setTrialEnd(tx: Tx, tenantId: string, trialEnd: number | null): Promise<void> {
    await tx.query(`UPDATE billing.customers SET trial_ends_at = $2 WHERE tenant_id = $1`, [tenantId, ts(trialEnd)]);
  }
}
