import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@parley/tenancy';
import { HIGHLIGHT_START, HIGHLIGHT_STOP } from './conversation-search';
import type { ConversationRow } from './conversation.view';
import type { Owner } from './owner-command';

export interface SearchHitRow extends ConversationRow {
  rank: number;
  message_id: string | null;
  headline: string;
  excerpt: string;
}

const HEADLINE_OPTIONS =
  `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, MaxWords=24, MinWords=8, ShortWord=0, ` +
  'MaxFragments=2, FragmentDelimiter=" … "';

/**
 * Full-text search over one owner's conversations in the tenant schema: titles and message contents
 * (GIN indexes on their `simple` vectors, migration 0004), plus a substring match for scripts
 * without spaces. One row per conversation: its best hit, ranked (a title hit weighs double), with
 * ts_headline's snippet of that hit. Another owner's rows never take part (the owner filter is in
 * both arms of the search).
 */
@Injectable()
export class ConversationSearchRepository {
  search(
    scope: TenantScope,
    owner: Owner,
    query: { text: string; needle: string | null; limit: number; offset: number },
  ): Promise<SearchHitRow[]> {
    return scope.query<SearchHitRow>(
      `WITH q AS (SELECT websearch_to_tsquery('simple', $3) AS query),
       hits AS (
         SELECT c.id AS conversation_id, NULL::uuid AS message_id, c.title AS body,
                ts_rank(c.search_vector, q.query) * 2
                  + CASE WHEN $4::text IS NOT NULL AND strpos(lower(c.title), $4) > 0 THEN 1 ELSE 0 END AS rank
         FROM conversations c, q
         WHERE c.owner_kind = $1 AND c.owner_id = $2
           AND (c.search_vector @@ q.query OR ($4::text IS NOT NULL AND strpos(lower(c.title), $4) > 0))
         UNION ALL
         SELECT m.conversation_id, m.id, m.content,
                ts_rank(m.search_vector, q.query)
                  + CASE WHEN $4::text IS NOT NULL AND strpos(lower(m.content), $4) > 0 THEN 0.5 ELSE 0 END
         FROM messages m JOIN conversations c ON c.id = m.conversation_id, q
         WHERE c.owner_kind = $1 AND c.owner_id = $2
           AND (m.search_vector @@ q.query OR ($4::text IS NOT NULL AND strpos(lower(m.content), $4) > 0))
       ),
       best AS (
         SELECT DISTINCT ON (conversation_id) conversation_id, message_id, body, rank
         FROM hits ORDER BY conversation_id, rank DESC, message_id NULLS FIRST
       ),
       page AS (
         SELECT b.*, c.id, c.title, c.message_count, c.created_at, c.updated_at, c.last_message_at,
                c.pinned_at IS NOT NULL AS pinned
         FROM best b JOIN conversations c ON c.id = b.conversation_id
         ORDER BY b.rank DESC, c.updated_at DESC, c.id DESC
         LIMIT $5 OFFSET $6
       )
       SELECT p.id, p.title, p.message_count, p.created_at, p.updated_at, p.last_message_at, p.pinned, '' AS sort_key,
              round(p.rank::numeric, 4)::float8 AS rank, p.message_id,
              ts_headline('simple', left(p.body, 20000), q.query, $7) AS headline,
              CASE WHEN $4::text IS NULL THEN ''
                   ELSE substr(p.body, greatest(1, strpos(lower(p.body), $4) - 60), 200) END AS excerpt
       FROM page p, q
       ORDER BY p.rank DESC, p.updated_at DESC, p.id DESC`,
      [owner.kind, owner.id, query.text, query.needle, query.limit + 1, query.offset, HEADLINE_OPTIONS],
    );
  }
}
