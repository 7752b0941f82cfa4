import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@parley/tenancy';
import type { ConversationRow } from './conversation.view';
import type { Owner } from './owner-command';
import { pageKeySql, type PageKey } from './page-cursor';

const COLUMNS = `id, title, message_count, created_at, updated_at, last_message_at, pinned_at IS NOT NULL AS pinned,
  ${pageKeySql('updated_at')} AS sort_key`;

/**
 * The tenant schema's `conversations`, always filtered by owner: a row of another owner is as
 * absent as a row that does not exist. Reachable only through a TenantScope (the tenant's schema).
 */
@Injectable()
export class ConversationsRepository {
  async create(scope: TenantScope, owner: Owner, id: string, title: string): Promise<ConversationRow> {
    const [row] = await scope.query<ConversationRow>(
      `INSERT INTO conversations (id, owner_kind, owner_id, title) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [id, owner.kind, owner.id, title],
    );
    if (!row) throw new Error('INSERT … RETURNING gave no conversation row');
    return row;
  }

  /** Pinned first, then newest activity first; `limit + 1` rows so the caller knows whether a next page exists. */
  list(scope: TenantScope, owner: Owner, limit: number, after: PageKey | null): Promise<ConversationRow[]> {
    return scope.query<ConversationRow>(
      `SELECT ${COLUMNS} FROM conversations
       WHERE owner_kind = $1 AND owner_id = $2
         AND ($3::timestamptz IS NULL
              OR (pinned_at IS NOT NULL, updated_at, id) < ($6::boolean, $3::timestamptz, $4::uuid))
       ORDER BY (pinned_at IS NOT NULL) DESC, updated_at DESC, id DESC LIMIT $5`,
      [owner.kind, owner.id, after?.at ?? null, after?.id ?? null, limit + 1, after?.pinned ?? false],
    );
  }

  async find(scope: TenantScope, owner: Owner, id: string): Promise<ConversationRow | null> {
    const [row] = await scope.query<ConversationRow>(
      `SELECT ${COLUMNS} FROM conversations WHERE id = $1 AND owner_kind = $2 AND owner_id = $3`,
      [id, owner.kind, owner.id],
    );
    return row ?? null;
  }

  async exists(scope: TenantScope, owner: Owner, id: string): Promise<boolean> {
    const rows = await scope.query(`SELECT 1 FROM conversations WHERE id = $1 AND owner_kind = $2 AND owner_id = $3`, [
      id,
      owner.kind,
      owner.id,
    ]);
    return rows.length > 0;
  }

  /** A new title (counts as activity: updated_at) and/or a pin (does not reorder by activity). */
  async update(
    scope: TenantScope,
    owner: Owner,
    id: string,
    change: { title?: string; pinned?: boolean },
  ): Promise<ConversationRow | null> {
    const rows = await scope.query<unknown>(
      `UPDATE conversations SET
         title = COALESCE($4, title),
         updated_at = CASE WHEN $4::text IS NULL THEN updated_at ELSE now() END,
         pinned_at = CASE WHEN $5::boolean IS NULL THEN pinned_at WHEN $5 THEN COALESCE(pinned_at, now()) END
       WHERE id = $1 AND owner_kind = $2 AND owner_id = $3 RETURNING ${COLUMNS}`,
      [id, owner.kind, owner.id, change.title ?? null, change.pinned ?? null],
    );
    return firstRow<ConversationRow>(rows);
  }

  /** Deletes the conversation and, by the foreign key's cascade, its messages. */
  async delete(scope: TenantScope, owner: Owner, id: string): Promise<boolean> {
    const rows = await scope.query(
      `DELETE FROM conversations WHERE id = $1 AND owner_kind = $2 AND owner_id = $3 RETURNING id`,
      [id, owner.kind, owner.id],
    );
    return firstRow(rows) !== null;
  }

  /** An exchange (the user's message and the answer) ended: counts and activity time. */
  async recordExchange(scope: TenantScope, id: string, messages: number): Promise<void> {
    await scope.query(
      `UPDATE conversations SET message_count = message_count + $2, last_message_at = now(), updated_at = now()
       WHERE id = $1`,
      [id, messages],
    );
  }
}

/**
 * The rows of an `UPDATE/DELETE … RETURNING`. TypeORM's postgres driver answers such a raw query
 * with `[rows, affectedCount]`; a plain SELECT answers the rows.
 */
export function firstRow<T>(result: unknown[]): T | null {
  const rows = Array.isArray(result[0]) && typeof result[1] === 'number' ? (result[0] as T[]) : (result as T[]);
  return rows[0] ?? null;
}
