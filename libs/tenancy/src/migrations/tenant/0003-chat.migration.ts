import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/**
 * Chat (chat-orchestrator): conversations and their messages, skills, and the tenant's own provider
 * keys. An owner is a principal: a user (`user`, user id), an API key (`api-key`, key id) or the
 * self-hosted anonymous owner (`anonymous`, user id of the default owner).
 */
export class Chat0003 implements SchemaMigration {
  readonly name = '0003-chat';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY,
        owner_kind text NOT NULL CHECK (owner_kind IN ('user', 'api-key', 'anonymous')),
        owner_id text NOT NULL CHECK (length(owner_id) BETWEEN 1 AND 100),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        message_count int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_message_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX conversations_owner_activity_idx ON conversations (owner_kind, owner_id, updated_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('user', 'assistant')),
        content text NOT NULL,
        status text NOT NULL CHECK (status IN ('complete', 'streaming', 'stopped', 'failed')),
        author_kind text NOT NULL CHECK (author_kind IN ('user', 'api-key', 'anonymous')),
        author_id text NOT NULL,
        provider text,
        model text,
        skill text,
        prompt_tokens int NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
        completion_tokens int NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
        usage_estimated boolean NOT NULL DEFAULT false,
        cost_micros bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
        price_table_version text,
        finish_reason text,
        error_code text,
        error_message text,
        first_token_ms int,
        duration_ms int,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX messages_created_idx ON messages (created_at)`);
    await q.query(`
      CREATE TABLE skills (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        command text NOT NULL CHECK (command ~ '^/[a-z0-9-]{1,32}$'),
        description text CHECK (length(description) <= 500),
        system_prompt text NOT NULL CHECK (length(system_prompt) BETWEEN 1 AND 20000),
        model text CHECK (length(model) <= 200),
        visibility text NOT NULL CHECK (visibility IN ('private', 'tenant')),
        created_by_kind text NOT NULL CHECK (created_by_kind IN ('user', 'api-key', 'anonymous')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX skills_tenant_command_idx ON skills (command) WHERE visibility = 'tenant'`);
    await q.query(
      `CREATE UNIQUE INDEX skills_private_command_idx ON skills (created_by_kind, created_by, command) WHERE visibility = 'private'`,
    );
    await q.query(`
      CREATE TABLE provider_credentials (
        id uuid PRIMARY KEY,
        kind text NOT NULL UNIQUE CHECK (kind IN ('anthropic', 'openai')),
        base_url text CHECK (length(base_url) <= 2000),
        model text NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
        encrypted_key bytea,
        key_hint text,
        priority int NOT NULL DEFAULT 0,
        updated_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
