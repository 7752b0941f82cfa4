import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/** Pinned conversations come first in their owner's list (then newest activity first). */
export class ConversationPins0006 implements SchemaMigration {
  readonly name = '0006-conversation-pins';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ADD COLUMN pinned_at timestamptz`);
    await q.query(
      `CREATE INDEX conversations_owner_pinned_activity_idx
         ON conversations (owner_kind, owner_id, (pinned_at IS NOT NULL) DESC, updated_at DESC, id DESC)`,
    );
  }
}
