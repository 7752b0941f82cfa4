import type { Conversation, ConversationMatch } from '@parley/contracts';

/** `Conversation` of the public API (libs/contracts, docs/chat.md); `match` only in search results. */
export type ConversationView = Conversation & { match?: ConversationMatch };

export interface ConversationRow {
  id: string;
  title: string;
  message_count: number;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date | null;
  pinned: boolean;
  sort_key: string;
}

export const toConversationView = (row: ConversationRow): ConversationView => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  lastMessageAt: row.last_message_at?.toISOString() ?? null,
  messageCount: row.message_count,
  pinned: row.pinned,
});
