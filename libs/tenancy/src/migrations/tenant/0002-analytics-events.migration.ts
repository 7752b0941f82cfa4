import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/** Events the analytics service records for the tenant, keyed by bus message id (idempotent). */
export class AnalyticsEvents0002 implements SchemaMigration {
  readonly name = '0002-analytics-events';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX analytics_events_type_time_idx ON analytics_events (type, occurred_at DESC)`);
  }
}
