import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * The analytics service's per-tenant store: one row per metered usage record (`usage.recorded.v1`,
 * keyed by its usageId, so a redelivery writes nothing twice and the totals are the sum of the
 * ledger's events) and one per completed assistant message (`chat.message-completed.v1`, keyed by
 * its message id). Tenant and auth facts stay in `analytics_events` (keyed by bus message id).
 */
export class AnalyticsStore0007 implements SchemaMigration {
  readonly name = '0007-analytics-store';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_usage (
        usage_id uuid PRIMARY KEY,
        kind text NOT NULL,
        user_id uuid,
        api_key_id uuid,
        source_id text NOT NULL,
        provider text,
        model text,
        prompt_tokens bigint NOT NULL,
        completion_tokens bigint NOT NULL,
        quantity numeric NOT NULL,
        estimated boolean NOT NULL,
        cost_micros bigint NOT NULL,
        price_table_version text,
        recorded_at timestamptz NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX analytics_usage_time_idx ON analytics_usage (recorded_at)`);
    await q.query(`CREATE INDEX analytics_usage_user_time_idx ON analytics_usage (user_id, recorded_at)`);
    await q.query(`
      CREATE TABLE analytics_messages (
        message_id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL,
        user_id uuid,
        api_key_id uuid,
        status text NOT NULL,
        provider text NOT NULL,
        model text NOT NULL,
        skill text,
        prompt_tokens bigint NOT NULL,
        completion_tokens bigint NOT NULL,
        cost_micros bigint NOT NULL,
        first_token_ms integer,
        duration_ms integer NOT NULL,
        completed_at timestamptz NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX analytics_messages_time_idx ON analytics_messages (completed_at)`);
    await q.query(`CREATE INDEX analytics_messages_user_time_idx ON analytics_messages (user_id, completed_at)`);
  }
}
