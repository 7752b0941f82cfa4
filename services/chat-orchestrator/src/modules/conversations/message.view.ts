export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'failed';

/** The rating an answer was given (in message lists). */
export interface MessageFeedbackView {
  rating: 'up' | 'down';
  comment: string | null;
}

/** `Message` of the public API (docs/chat.md). */
export interface MessageView {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  provider: string | null;
  model: string | null;
  skill: string | null;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  costMicros: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  completedAt: string | null;
  /** In message lists only: the feedback given on this answer, or null. */
  feedback?: MessageFeedbackView | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  provider: string | null;
  model: string | null;
  skill: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  usage_estimated: boolean;
  /** bigint: pg returns it as a string. */
  cost_micros: string | number;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  completed_at: Date | null;
  sort_key: string;
}

export const MESSAGE_COLUMNS = `id, conversation_id, role, content, status, provider, model, skill, prompt_tokens,
  completion_tokens, usage_estimated, cost_micros, error_code, error_message, created_at, completed_at`;

export const toMessageView = (row: MessageRow): MessageView => ({
  id: row.id,
  conversationId: row.conversation_id,
  role: row.role,
  content: row.content,
  status: row.status,
  provider: row.provider,
  model: row.model,
  skill: row.skill,
  promptTokens: row.prompt_tokens,
  completionTokens: row.completion_tokens,
  usageEstimated: row.usage_estimated,
  costMicros: Number(row.cost_micros),
  error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  createdAt: row.created_at.toISOString(),
  completedAt: row.completed_at?.toISOString() ?? null,
});
