import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LedgerKind } from '@parley/contracts';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';
import { returning } from '../../common/returning';

export interface LedgerEntry {
  usageId: string;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  kind: LedgerKind;
  provider: string | null;
  engine: string | null;
  quantity: number;
  costMicros: number;
  estimated: boolean;
  sourceId: string;
  recordedAt: string;
}

/** A ledger row claimed for reporting, with the tenant's Stripe customer. */
export interface UnreportedUsage {
  usageId: string;
  kind: LedgerKind;
  quantity: string;
  recordedAt: Date;
  attempts: number;
  stripeCustomerId: string;
}

export interface UsageTotals {
  tokens: number;
  audioSeconds: number;
  costMicros: number;
}

/** The usage ledger: one row per usage id, and its reporting state to Stripe. */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Writes the usage once: a usage id seen before changes nothing (returns false). */
  async insert(entry: LedgerEntry): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO billing.usage_ledger
         (usage_id, tenant_id, user_id, api_key_id, kind, provider, engine, quantity, cost_micros, estimated, source_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (usage_id) DO NOTHING
       RETURNING usage_id`,
      [
        entry.usageId,
        entry.tenantId,
        entry.userId,
        entry.apiKeyId,
        entry.kind,
        entry.provider,
        entry.engine,
        entry.quantity,
        entry.costMicros,
        entry.estimated,
        entry.sourceId,
        entry.recordedAt,
      ],
    );
    return rows.length === 1;
  }

  /**
   * Claims up to `limit` unreported rows of tenants with a Stripe customer whose next attempt is
   * due, for `leaseMs` (another replica skips them; a crashed one's lease simply lapses).
   */
  async claimUnreported(limit: number, maxAttempts: number, leaseMs: number): Promise<UnreportedUsage[]> {
    const rows = returning<{
      usage_id: string;
      kind: LedgerKind;
      quantity: string;
      recorded_at: Date;
      report_attempts: number;
      stripe_customer_id: string;
    }>(
      await this.db.query(
        `WITH due AS (
         SELECT l.usage_id FROM billing.usage_ledger l
           JOIN billing.customers c ON c.tenant_id = l.tenant_id
          WHERE l.reported_at IS NULL AND l.next_attempt_at <= now() AND l.report_attempts < $2
            AND (l.claimed_until IS NULL OR l.claimed_until < now())
          ORDER BY l.next_attempt_at
          LIMIT $1
          FOR UPDATE OF l SKIP LOCKED)
       UPDATE billing.usage_ledger l SET claimed_until = now() + make_interval(secs => $3::double precision / 1000)
         FROM due, billing.customers c
        WHERE l.usage_id = due.usage_id AND c.tenant_id = l.tenant_id
       RETURNING l.usage_id, l.kind, l.quantity::text AS quantity, l.recorded_at, l.report_attempts, c.stripe_customer_id`,
        [limit, maxAttempts, leaseMs],
      ),
    );
    return rows.map((r) => ({
      usageId: r.usage_id,
      kind: r.kind,
      quantity: r.quantity,
      recordedAt: r.recorded_at,
      attempts: r.report_attempts,
      stripeCustomerId: r.stripe_customer_id,
    }));
  }

  async markReported(usageId: string, identifier: string): Promise<void> {
    await this.db.query(
      `UPDATE billing.usage_ledger SET reported_at = now(), reported_identifier = $2, claimed_until = NULL, last_error = NULL
        WHERE usage_id = $1`,
      [usageId, identifier],
    );
  }

  async markFailed(usageId: string, error: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE billing.usage_ledger
          SET report_attempts = report_attempts + 1, last_error = left($2, 500), claimed_until = NULL,
              next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE usage_id = $1`,
      [usageId, error, retryInMs],
    );
  }

  /**
   * The reconciler's repair: rows that used up their attempts get a fresh start (the identifier
   * makes a resend safe), and leases of crashed reporters are released. Returns how many of each.
   */
  async requeueStuck(maxAttempts: number): Promise<{ requeued: number; released: number }> {
    const requeued = returning(
      await this.db.query(
        `UPDATE billing.usage_ledger SET report_attempts = 0, next_attempt_at = now()
        WHERE reported_at IS NULL AND report_attempts >= $1 RETURNING usage_id`,
        [maxAttempts],
      ),
    );
    const released = returning(
      await this.db.query(
        `UPDATE billing.usage_ledger SET claimed_until = NULL
        WHERE reported_at IS NULL AND claimed_until < now() RETURNING usage_id`,
      ),
    );
    return { requeued: requeued.length, released: released.length };
  }

  /** Ledger totals against what Stripe acknowledged, per kind, for tenants with a customer. */
  async reportingGap(): Promise<{ kind: LedgerKind; ledger: string; reported: string; unreported: number }[]> {
    const rows: { kind: LedgerKind; ledger: string; reported: string; unreported: string }[] = await this.db.query(
      `SELECT l.kind, sum(l.quantity)::text AS ledger,
              coalesce(sum(l.quantity) FILTER (WHERE l.reported_at IS NOT NULL), 0)::text AS reported,
              count(*) FILTER (WHERE l.reported_at IS NULL) AS unreported
         FROM billing.usage_ledger l JOIN billing.customers c ON c.tenant_id = l.tenant_id
        GROUP BY l.kind ORDER BY l.kind`,
    );
    return rows.map((r) => ({ ...r, unreported: Number(r.unreported) }));
  }

  /** The context tenant's usage since `from` (the billing page). */
  async totalsSince(from: Date): Promise<UsageTotals> {
    const tenantId = TenantContext.require();
    const [row]: { tokens: string; audio: string; cost: string }[] = await this.db.query(
      `SELECT coalesce(sum(quantity) FILTER (WHERE kind = 'tokens'), 0)::text AS tokens,
              coalesce(sum(quantity) FILTER (WHERE kind = 'audio_seconds'), 0)::text AS audio,
              coalesce(sum(cost_micros), 0)::text AS cost
         FROM billing.usage_ledger WHERE tenant_id = $1 AND recorded_at >= $2`,
      [tenantId, from],
    );
    return {
      tokens: Number(row?.tokens ?? 0),
      audioSeconds: Number(row?.audio ?? 0),
      costMicros: Number(row?.cost ?? 0),
    };
  }
}
