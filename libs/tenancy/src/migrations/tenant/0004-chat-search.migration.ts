import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Conversation search: a full-text vector of each conversation's title and each message's content
 * (generated columns, so every write keeps them true) with GIN indexes. The `simple` configuration
 * (no stemming, no stop words) splits on spaces and punctuation in every language; scripts written
 * without spaces (Chinese, Japanese) are also matched by substring at query time (chat.md).
 */
export class ChatSearch0004 implements SchemaMigration {
  readonly name = '0004-chat-search';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE conversations
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title)) STORED`);
    await q.query(`CREATE INDEX conversations_search_idx ON conversations USING gin (search_vector)`);
    await q.query(`
      ALTER TABLE messages
        ADD COLUMN search_vector tsvector
          GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, left(content, 100000))) STORED`);
    await q.query(`CREATE INDEX messages_search_idx ON messages USING gin (search_vector)`);
  }
}
