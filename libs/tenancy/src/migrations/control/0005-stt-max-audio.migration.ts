import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Plans get `sttMaxAudioSeconds` (the longest upload or live session) with the defaults of the
 * configuration; the tenant service writes the configured values over them at start.
 */
export class SttMaxAudio0005 implements SchemaMigration {
  readonly name = '0005-stt-max-audio';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE control.plans
         SET limits = limits || jsonb_build_object('sttMaxAudioSeconds',
               CASE id WHEN 'free' THEN 120 WHEN 'pro' THEN 600 ELSE 1800 END)
       WHERE NOT limits ? 'sttMaxAudioSeconds'`);
  }
}
