import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/** The tenant's own speech upstreams (bring your own key): one row per kind, the key sealed. */
export class SttUpstreams0010 implements SchemaMigration {
  readonly name = '0010-stt-upstreams';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stt_upstreams (
        id uuid PRIMARY KEY,
        kind text NOT NULL UNIQUE CHECK (kind IN ('openai', 'deepgram')),
        base_url text NOT NULL CHECK (length(base_url) <= 2000),
        model text NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
        encrypted_key bytea,
        key_hint text,
        updated_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
