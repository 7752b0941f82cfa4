import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PlanId } from '@parley/config';
import { BILLING_LIMITS, type InvoiceView, type SubscriptionStatus } from '@parley/contracts';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';

export interface CustomerRow {
  stripeCustomerId: string;
  paymentFailedAt: Date | null;
  graceUntil: Date | null;
  trialEndsAt: Date | null;
}

export interface SubscriptionRow {
  stripeSubscriptionId: string;
  status: SubscriptionStatus;
  plan: PlanId;
  entitledPlan: PlanId;
  seats: number;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  trialEnd: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The context tenant's customer, subscription and invoices (every read is scoped by the context's tenant). */
@Injectable()
export class SubscriptionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async customer(): Promise<CustomerRow | null> {
    const rows: {
      stripe_customer_id: string;
      payment_failed_at: Date | null;
      grace_until: Date | null;
      trial_ends_at: Date | null;
    }[] = await this.db.query(
      `SELECT stripe_customer_id, payment_failed_at, grace_until, trial_ends_at FROM billing.customers WHERE tenant_id = $1`,
      [TenantContext.require()],
    );
    const row = rows[0];
    return row
      ? {
          stripeCustomerId: row.stripe_customer_id,
          paymentFailedAt: row.payment_failed_at,
          graceUntil: row.grace_until,
          trialEndsAt: row.trial_ends_at,
        }
      : null;
  }

  /** Links the context tenant to a customer created for it; answers the customer that is linked after. */
  async linkCustomer(stripeCustomerId: string): Promise<string> {
    const tenantId = TenantContext.require();
    await this.db.query(
      `INSERT INTO billing.customers (tenant_id, stripe_customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [tenantId, stripeCustomerId],
    );
    const rows: { stripe_customer_id: string }[] = await this.db.query(
      `SELECT stripe_customer_id FROM billing.customers WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]?.stripe_customer_id ?? stripeCustomerId;
  }

  async subscription(): Promise<SubscriptionRow | null> {
    const rows: {
      stripe_subscription_id: string;
      status: SubscriptionStatus;
      plan_id: PlanId;
      entitled_plan_id: PlanId;
      seats: number;
      current_period_start: Date | null;
      current_period_end: Date | null;
      cancel_at_period_end: boolean;
      trial_end: Date | null;
    }[] = await this.db.query(`SELECT * FROM billing.subscriptions WHERE tenant_id = $1`, [TenantContext.require()]);
    const r = rows[0];
    return r
      ? {
          stripeSubscriptionId: r.stripe_subscription_id,
          status: r.status,
          plan: r.plan_id,
          entitledPlan: r.entitled_plan_id,
          seats: r.seats,
          currentPeriodStart: r.current_period_start,
          currentPeriodEnd: r.current_period_end,
          cancelAtPeriodEnd: r.cancel_at_period_end,
          trialEnd: r.trial_end,
        }
      : null;
  }

  async invoices(): Promise<InvoiceView[]> {
    const rows: {
      stripe_invoice_id: string;
      number: string | null;
      status: string;
      amount_due: string;
      amount_paid: string;
      currency: string;
      hosted_invoice_url: string | null;
      period_start: Date | null;
      period_end: Date | null;
    }[] = await this.db.query(
      `SELECT * FROM billing.invoices WHERE tenant_id = $1 ORDER BY created_at DESC, stripe_invoice_id LIMIT $2`,
      [TenantContext.require(), BILLING_LIMITS.invoices],
    );
    return rows.map((r) => ({
      id: r.stripe_invoice_id,
      number: r.number,
      status: r.status,
      amountDue: Number(r.amount_due),
      amountPaid: Number(r.amount_paid),
      currency: r.currency,
      hostedInvoiceUrl: r.hosted_invoice_url,
      periodStart: iso(r.period_start),
      periodEnd: iso(r.period_end),
    }));
  }
}
