import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Transactional outbox: a message is written in the same transaction as the change it announces
 * and published by the producing service's relay afterwards, so a crash can delay it, never lose it.
 */
export class Outbox0002 implements SchemaMigration {
  readonly name = '0002-outbox';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE control.outbox (
        id uuid PRIMARY KEY,
        producer text NOT NULL,
        topic text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(
      `CREATE INDEX outbox_pending_idx ON control.outbox (producer, created_at) WHERE published_at IS NULL`,
    );
  }
}
