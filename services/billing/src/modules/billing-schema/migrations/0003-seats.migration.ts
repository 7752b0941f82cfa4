import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * Seats: billing's projection of each tenant's members (from `auth.membership-changed.v1`), the
 * tenants whose member count changed since the last sync to Stripe, and the subscription item that
 * carries the seat price (its quantity is the seat count).
 */
export class Seats0003 implements SchemaMigration {
  readonly name = '0003-seats';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.members (
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE billing.seat_sync (
        tenant_id uuid PRIMARY KEY,
        dirty_since timestamptz,
        synced_quantity integer
      )`);
    await q.query(`ALTER TABLE billing.subscriptions ADD COLUMN seat_item_id text`);
  }
}
