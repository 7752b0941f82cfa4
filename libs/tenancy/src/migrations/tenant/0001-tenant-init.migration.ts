import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/** Tables every tenant schema starts with. Unqualified names: search_path is the tenant schema. */
export class TenantInit0001 implements SchemaMigration {
  readonly name = '0001-tenant-init';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        actor_id text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC)`);
  }
}
