import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * A thumbs up or down, with an optional comment, on an answer: one per member (principal) and
 * message, replaced when given again; it goes with its message. A later job learns from it.
 */
export class MessageFeedback0005 implements SchemaMigration {
  readonly name = '0005-message-feedback';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_feedback (
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        author_kind text NOT NULL CHECK (author_kind IN ('user', 'api-key', 'anonymous')),
        author_id text NOT NULL CHECK (length(author_id) BETWEEN 1 AND 100),
        rating text NOT NULL CHECK (rating IN ('up', 'down')),
        comment text CHECK (length(comment) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, author_kind, author_id)
      )`);
    await q.query(`CREATE INDEX message_feedback_updated_idx ON message_feedback (updated_at)`);
  }
}
