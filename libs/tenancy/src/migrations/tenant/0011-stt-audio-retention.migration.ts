import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Audio retention, off unless the tenant turns it on: the setting (no row: off) and the kept
 * uploads, each with the transcription's usage id, purged once older than the setting's days.
 */
export class SttAudioRetention0011 implements SchemaMigration {
  readonly name = '0011-stt-audio-retention';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stt_retention (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        enabled boolean NOT NULL,
        days int NOT NULL CHECK (days BETWEEN 1 AND 3650),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE stt_audio (
        id uuid PRIMARY KEY,
        usage_id uuid NOT NULL,
        format text NOT NULL,
        audio bytea NOT NULL,
        bytes int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX stt_audio_created_at ON stt_audio (created_at)`);
  }
}
