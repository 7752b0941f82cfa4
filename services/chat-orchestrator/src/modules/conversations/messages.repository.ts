import { Injectable } from '@nestjs/common';
import { TenantContext, type TenantDb, type TenantScope } from '@parley/tenancy';
import { firstRow } from './conversations.repository';
import { EXCHANGE_SQL, type ExchangeRow } from './exchange.statement';
import { HistoryCache, type CachedTurn } from './history.cache';
import { MESSAGE_COLUMNS, type MessageFeedbackView, type MessageRow, type MessageStatus } from './message.view';
import type { Owner } from './owner-command';
import { pageKeySql, type PageKey } from './page-cursor';

const COLUMNS = `${MESSAGE_COLUMNS}, ${pageKeySql('created_at')} AS sort_key`;

/** A stored turn, as history for the next prompt. */
export interface HistoryRow {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
}

export interface NewExchange {
  conversationId: string;
  author: Owner;
  userMessageId: string;
  content: string;
  assistantMessageId: string;
  skill: string | null;
  /**
   * Regenerate / edit and resend: this message (the conversation's last question) and everything
   * after it (its answer) are deleted in the same statement, and left out of the history.
   */
  replacesMessageId?: string | null;
}

/** How an assistant message ended, as stored. */
export interface AssistantOutcome {
  id: string;
  content: string;
  status: Exclude<MessageStatus, 'streaming'>;
  provider: string;
  model: string;
  finishReason: string | null;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  costMicros: number;
  priceTableVersion: string;
  error: { code: string; message: string } | null;
  firstTokenMs: number | null;
  durationMs: number;
}

/** The tenant schema's `messages`. Callers check the conversation's owner first. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly history: HistoryCache) {}

  /** Newest first; `limit + 1` rows so the caller knows whether a next page exists. */
  /** Newest first, each with the feedback given on it (only the conversation's owner can give it: at most one). */
  list(
    scope: TenantScope,
    conversationId: string,
    limit: number,
    before: PageKey | null,
  ): Promise<(MessageRow & { feedback: MessageFeedbackView | null })[]> {
    return scope.query<MessageRow & { feedback: MessageFeedbackView | null }>(
      `SELECT ${COLUMNS},
         (SELECT json_build_object('rating', f.rating, 'comment', f.comment) FROM message_feedback f
          WHERE f.message_id = messages.id ORDER BY f.updated_at DESC LIMIT 1) AS feedback
       FROM messages
       WHERE conversation_id = $1
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [conversationId, before?.at ?? null, before?.id ?? null, limit + 1],
    );
  }

  /**
   * Starts an exchange in one statement, only if the conversation is the author's (null
   * otherwise): stores the user's message and the answer about to stream, and reads the latest
   * turns worth sending again (answers with text, newest first, at most `historyLimit`). The read
   * sees the table as it was before the insert, so the new turns are not part of the history.
   * An answer left `streaming` by a replica that died is closed as `failed` on the way.
   * Database time orders the two messages (the answer 1 µs after the question), whatever the
   * clocks of the replicas. One round trip (`TenantDb.statement`, no transaction around it: one
   * statement is atomic): this is on the time-to-first-token path.
   *
   * Its commit does not wait for the WAL flush (`synchronous_commit = off` for this transaction
   * alone, ≈2 ms of the first token on this machine): the statement is atomic and consistent as
   * ever, and visible at once; only a crash of Postgres itself (not of a service) in the next
   * ~0.6 s (3 × `wal_writer_delay`) could lose it, and then its answer, interrupted by the same
   * crash, is lost with it. The answer's end (`complete`) commits synchronously, which flushes the
   * WAL up to it, so an answer stored as ended always has its question stored too.
   *
   * The history is cached per replica (`HistoryCache`, keyed by tenant and conversation): the
   * statement gets the cached range and, when it is intact, reads only the turns stored after it
   * (another replica's included); when not, everything again (exchange.statement.ts).
   */
  async startExchange(
    db: TenantDb,
    exchange: NewExchange,
    historyLimit: number,
  ): Promise<{ userAt: Date; history: HistoryRow[] } | null> {
    const tenantId = TenantContext.require();
    const { conversationId } = exchange;
    // Regenerate / edit cuts the history: read it all (rare), and cache what is left.
    const cached = exchange.replacesMessageId ? null : this.history.get(tenantId, conversationId);
    const newest = cached?.turns[0];
    const oldest = cached?.turns[cached.turns.length - 1];
    const rows = await db.statement<ExchangeRow>(EXCHANGE_SQL, [
      exchange.userMessageId,
      exchange.assistantMessageId,
      conversationId,
      exchange.content,
      exchange.author.kind,
      exchange.author.id,
      exchange.skill,
      historyLimit,
      exchange.replacesMessageId ?? null,
      newest?.at ?? null,
      newest?.id ?? null,
      oldest?.at ?? null,
      oldest?.id ?? null,
      newest ? cached.turns.length : null,
    ]);
    const user = rows.find((row) => row.kind === 'inserted' && row.id === exchange.userMessageId);
    if (!user?.created_at) {
      this.history.delete(tenantId, conversationId);
      return null;
    }
    const read: CachedTurn[] = rows
      .filter((row) => row.kind === 'history')
      .map(({ id, role, content, status, at }) => ({ id, role, content, status, at: at ?? '' }));
    // Newer turns first, then the cached ones — unless the delta alone reached the limit (then
    // there may be turns between it and the cache that were not read: the delta is the history).
    const turns =
      user.delta && cached && read.length < historyLimit ? [...read, ...cached.turns].slice(0, historyLimit) : read;
    this.history.set(tenantId, conversationId, turns);
    return { userAt: user.created_at, history: turns };
  }

  /**
   * The text of an answer still being generated, so a client that lost its stream (or another tab)
   * sees it grow; no-op once the answer ended (the end is stored by `complete`, which wins).
   */
  async checkpoint(scope: TenantScope, id: string, content: string): Promise<void> {
    await scope.query(`UPDATE messages SET content = $2 WHERE id = $1 AND status = 'streaming'`, [id, content]);
  }

  /** Stores how the answer ended; null when the message is gone (its conversation was deleted meanwhile). */
  async complete(scope: TenantScope, outcome: AssistantOutcome): Promise<MessageRow | null> {
    const rows = await scope.query<unknown>(
      `UPDATE messages SET content = $2, status = $3, provider = $4, model = $5, finish_reason = $6,
         prompt_tokens = $7, completion_tokens = $8, usage_estimated = $9, cost_micros = $10,
         price_table_version = $11, error_code = $12, error_message = $13, first_token_ms = $14,
         duration_ms = $15, completed_at = now()
       WHERE id = $1 AND status = 'streaming'
       RETURNING ${COLUMNS}`,
      [
        outcome.id,
        outcome.content,
        outcome.status,
        outcome.provider,
        outcome.model,
        outcome.finishReason,
        outcome.promptTokens,
        outcome.completionTokens,
        outcome.usageEstimated,
        outcome.costMicros,
        outcome.priceTableVersion,
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        outcome.firstTokenMs,
        outcome.durationMs,
      ],
    );
    return firstRow<MessageRow>(rows);
  }

  /**
   * The conversation's last question (for regenerate and edit-and-resend), `owned: false` when the
   * conversation is not the owner's (or does not exist).
   */
  async lastQuestion(
    scope: TenantScope,
    owner: Owner,
    conversationId: string,
  ): Promise<{ owned: boolean; question: { id: string; content: string } | null }> {
    const rows = await scope.query<{ id: string | null; content: string | null }>(
      `SELECT m.id, m.content FROM conversations c
       LEFT JOIN LATERAL (
         SELECT id, content FROM messages WHERE conversation_id = c.id AND role = 'user'
         ORDER BY created_at DESC, id DESC LIMIT 1
       ) m ON true
       WHERE c.id = $1 AND c.owner_kind = $2 AND c.owner_id = $3`,
      [conversationId, owner.kind, owner.id],
    );
    const row = rows[0];
    if (!row) return { owned: false, question: null };
    return { owned: true, question: row.id && row.content !== null ? { id: row.id, content: row.content } : null };
  }

  async find(scope: TenantScope, id: string): Promise<MessageRow | null> {
    const [row] = await scope.query<MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Tokens of the answers completed in [from, to). An answer completes at most CHAT_GENERATION_MAX_MS
   * (≤ 1 h) after it was created, so the scan starts an hour before `from` on the created_at index.
   */
  async tokensCompletedBetween(scope: TenantScope, from: Date, to: Date): Promise<number> {
    const [row] = await scope.query<{ tokens: string | null }>(
      `SELECT SUM(prompt_tokens + completion_tokens)::text AS tokens FROM messages
       WHERE role = 'assistant' AND created_at >= $1::timestamptz - interval '1 hour' AND created_at < $2
         AND completed_at >= $1 AND completed_at < $2`,
      [from, to],
    );
    return Number(row?.tokens ?? 0);
  }
}
