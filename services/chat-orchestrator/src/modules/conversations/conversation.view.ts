/** `Conversation` of the public API (docs/chat.md). */
export interface ConversationView {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  messageCount: number;
}

export interface ConversationRow {
  id: string;
  title: string;
  message_count: number;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date | null;
  sort_key: string;
}

export const toConversationView = (row: ConversationRow): ConversationView => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  lastMessageAt: row.last_message_at?.toISOString() ?? null,
  messageCount: row.message_count,
});
