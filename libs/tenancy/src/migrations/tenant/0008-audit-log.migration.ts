import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * The tenant's audit log: append-only and hash-chained (each entry's `hash` covers the previous
 * entry's hash and its own fields). A trigger refuses every UPDATE, and every DELETE but the
 * retention pass's (which sets `parley.audit_retention` for its own transaction), so the
 * application cannot rewrite history; tampering below it (a superuser disabling the trigger) breaks
 * the chain, which the verify command reports.
 */
export class AuditLog0008 implements SchemaMigration {
  readonly name = '0008-audit-log';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        occurred_at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_id text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        ip text,
        user_agent text,
        request_id text,
        details jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_time_idx ON audit_log (occurred_at)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, seq)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('parley.audit_retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only (%)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Where the chain starts once retention removed its head: the first kept seq and the hash before it.
    await q.query(`
      CREATE TABLE audit_log_anchor (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        first_seq bigint NOT NULL,
        prev_hash text NOT NULL,
        pruned_at timestamptz NOT NULL
      )`);
  }
}
