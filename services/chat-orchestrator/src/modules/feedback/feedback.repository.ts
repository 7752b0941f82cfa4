import { Injectable } from '@nestjs/common';
import type { FeedbackRating } from '@parley/contracts';
import type { TenantScope } from '@parley/tenancy';
import type { Owner } from '../conversations/owner-command';

export interface FeedbackRow {
  message_id: string;
  rating: FeedbackRating;
  comment: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface FeedbackTarget {
  role: 'user' | 'assistant';
  status: string;
}

/** `message_feedback` of the tenant schema; messages are reached only through their owner's conversations. */
@Injectable()
export class FeedbackRepository {
  /** The message if it is in one of the owner's conversations (role and status), or null. */
  async target(scope: TenantScope, owner: Owner, messageId: string): Promise<FeedbackTarget | null> {
    const [row] = await scope.query<FeedbackTarget>(
      `SELECT m.role, m.status FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.id = $1 AND c.owner_kind = $2 AND c.owner_id = $3`,
      [messageId, owner.kind, owner.id],
    );
    return row ?? null;
  }

  /** One per author and message: a second one replaces the first (created_at kept). */
  async upsert(
    scope: TenantScope,
    owner: Owner,
    messageId: string,
    rating: FeedbackRating,
    comment: string | null,
  ): Promise<FeedbackRow> {
    const [row] = await scope.query<FeedbackRow>(
      `INSERT INTO message_feedback (message_id, author_kind, author_id, rating, comment)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id, author_kind, author_id)
         DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()
       RETURNING message_id, rating, comment, created_at, updated_at`,
      [messageId, owner.kind, owner.id, rating, comment],
    );
    if (!row) throw new Error('INSERT … RETURNING gave no feedback row');
    return row;
  }
}
