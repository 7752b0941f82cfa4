import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import { returning } from '../../common/returning';

export interface SeatSync {
  tenantId: string;
  members: number;
  syncedQuantity: number | null;
  stripeSubscriptionId: string | null;
  seatItemId: string | null;
}

/** Billing's projection of members, and which tenants' seat counts Stripe has yet to hear. */
@Injectable()
export class SeatsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Applies one membership change and marks the tenant for the next seat sync (one statement each, idempotent). */
  async applyMembership(tenantId: string, userId: string, member: boolean): Promise<void> {
    await this.db.query(
      member
        ? `INSERT INTO billing.members (tenant_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`
        : `DELETE FROM billing.members WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    await this.markDirty(tenantId);
  }

  async markDirty(tenantId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO billing.seat_sync (tenant_id, dirty_since) VALUES ($1, now())
       ON CONFLICT (tenant_id) DO UPDATE SET dirty_since = coalesce(billing.seat_sync.dirty_since, now())`,
      [tenantId],
    );
  }

  /**
   * Takes every tenant marked before `olderThanMs` ago (changes in the meantime collapse into one
   * sync: the debounce), with its member count and its subscription's seat item.
   */
  async takeDirty(olderThanMs: number, limit: number): Promise<SeatSync[]> {
    const taken = returning<{ tenant_id: string; synced_quantity: number | null }>(
      await this.db.query(
        `UPDATE billing.seat_sync s SET dirty_since = NULL
          WHERE s.tenant_id IN (SELECT tenant_id FROM billing.seat_sync
                                 WHERE dirty_since <= now() - make_interval(secs => $1::double precision / 1000)
                                 ORDER BY dirty_since LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING s.tenant_id, s.synced_quantity`,
        [olderThanMs, limit],
      ),
    );
    const out: SeatSync[] = [];
    for (const row of taken) {
      const [detail]: { members: string; stripe_subscription_id: string | null; seat_item_id: string | null }[] =
        await this.db.query(
          `SELECT (SELECT count(*) FROM billing.members WHERE tenant_id = $1) AS members,
                  s.stripe_subscription_id, s.seat_item_id
             FROM (SELECT 1) one
             LEFT JOIN billing.subscriptions s
               ON s.tenant_id = $1 AND s.status IN ('active', 'trialing', 'past_due')`,
          [row.tenant_id],
        );
      out.push({
        tenantId: row.tenant_id,
        members: Number(detail?.members ?? 0),
        syncedQuantity: row.synced_quantity,
        stripeSubscriptionId: detail?.stripe_subscription_id ?? null,
        seatItemId: detail?.seat_item_id ?? null,
      });
    }
    return out;
  }

  async markSynced(tenantId: string, quantity: number): Promise<void> {
    await this.db.query(`UPDATE billing.seat_sync SET synced_quantity = $2 WHERE tenant_id = $1`, [tenantId, quantity]);
  }
}
