import { pageKeySql } from './page-cursor';

/** A row of the exchange statement: the two inserted messages, then the history (newest first). */
export interface ExchangeRow {
  kind: 'inserted' | 'history';
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: 'complete' | 'failed' | 'stopped';
  /** Inserted rows: when. */
  created_at: Date | null;
  /** History rows: the key of the row in `(created_at, id)` order (µs, UTC). */
  at: string | null;
  /** Inserted rows: whether the caller's cached range was intact, so the history is only what is newer. */
  delta: boolean | null;
  n: string;
}

/** Which stored turns go back to the model: with text, and not still being written. */
const ELIGIBLE = `conversation_id = $3 AND content <> '' AND status <> 'streaming'`;

/**
 * The exchange statement (see MessagesRepository.startExchange). Parameters: $1 user message id,
 * $2 answer id, $3 conversation, $4 text, $5/$6 owner kind/id, $7 skill, $8 history limit, $9 the
 * message replaced (regenerate / edit) or null; the caller's cached history: $10/$11 its newest
 * turn's key (at, id), $12/$13 its oldest turn's key, $14 how many turns it holds — or all null.
 *
 * `cached` says whether the cached range is intact: it still holds exactly $14 eligible turns
 * (stored turns never change once eligible; a deleted one lowers the count). Then `past` reads only
 * the eligible turns newer than $10/$11; else (no cache, or changed behind its back) all of them, in
 * the same round trip: the check is evaluated once and sets the lower bound of `past`'s index scan.
 * A regenerate/edit cut never reaches into a cached range: it removes the last question and what
 * follows, which any cache read before it was stored (the conversation's lock orders exchanges).
 * A turn becomes eligible (`streaming` ends) only after every cached key: an answer is stored 1 µs
 * after its question and the next exchange closes it if its replica died. So with an intact cache
 * the orphan check looks only at turns newer than it (the exchange that read the cached range
 * closed every answer left streaming before it), not at the whole conversation. Nothing rewrites an
 * eligible turn's text (`checkpoint` and `complete` touch `streaming` rows only; there is no
 * redaction): one that did would not be seen by this check, only a deletion is.
 */
export const EXCHANGE_SQL = `WITH owned AS (
  -- Committed without waiting for the WAL flush (see the doc comment), set only when there is something to write.
  SELECT id, owner_kind, owner_id FROM {schema}.conversations WHERE id = $3 AND owner_kind = $5 AND owner_id = $6
    AND set_config('synchronous_commit', 'off', true) = 'off'
), cut AS (
  SELECT COALESCE(
    (SELECT created_at FROM {schema}.messages WHERE id = $9 AND conversation_id = $3 AND EXISTS (SELECT 1 FROM owned)),
    'infinity'::timestamptz) AS at
), removed AS (
  DELETE FROM {schema}.messages WHERE conversation_id = $3 AND created_at >= (SELECT at FROM cut)
  RETURNING id
), recount AS (
  UPDATE {schema}.conversations SET message_count = greatest(0, message_count - (SELECT count(*) FROM removed))
  WHERE id = $3 AND $9::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM owned)
  RETURNING id
), cached AS (
  SELECT $10::timestamptz IS NOT NULL AND (
    SELECT count(*) FROM {schema}.messages
    WHERE ${ELIGIBLE} AND created_at < (SELECT at FROM cut)
      AND (created_at, id) >= ($12::timestamptz, $13::uuid) AND (created_at, id) <= ($10::timestamptz, $11::uuid)
  ) = $14::bigint AS intact
), orphaned AS (
  -- The caller holds the conversation's lock: an answer still 'streaming' here was left by a
  -- replica that died mid-answer. It is closed as failed (the data-modifying CTE always runs).
  UPDATE {schema}.messages SET status = 'failed', error_code = 'service_unavailable',
         error_message = 'The answer was interrupted: the service writing it stopped', completed_at = now()
  WHERE conversation_id = $3 AND status = 'streaming' AND EXISTS (SELECT 1 FROM owned)
    AND created_at < (SELECT at FROM cut)
    -- An intact cache was read by an earlier exchange, which closed every older one: only newer rows can be left.
    AND (created_at, id) > (
      CASE WHEN (SELECT intact FROM cached) THEN $10::timestamptz ELSE '-infinity'::timestamptz END,
      CASE WHEN (SELECT intact FROM cached) THEN $11::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END)
  RETURNING id
), inserted AS (
  INSERT INTO {schema}.messages (id, conversation_id, role, content, status, author_kind, author_id, skill, created_at)
  SELECT v.id, o.id, v.role, v.content, v.status, o.owner_kind, o.owner_id, v.skill, v.created_at
  FROM owned o
  CROSS JOIN (VALUES
    ($1::uuid, 'user', $4::text, 'complete', NULL::text, clock_timestamp()),
    ($2::uuid, 'assistant', '', 'streaming', $7::text, clock_timestamp() + interval '1 microsecond')
  ) AS v (id, role, content, status, skill, created_at)
  RETURNING id, created_at
), past AS (
  SELECT id, role, content, status, created_at FROM {schema}.messages
  WHERE ${ELIGIBLE} AND EXISTS (SELECT 1 FROM owned) AND created_at < (SELECT at FROM cut)
    AND (created_at, id) > (
      CASE WHEN (SELECT intact FROM cached) THEN $10::timestamptz ELSE '-infinity'::timestamptz END,
      CASE WHEN (SELECT intact FROM cached) THEN $11::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END)
  ORDER BY created_at DESC, id DESC LIMIT $8
)
SELECT 'inserted' AS kind, id, NULL::text AS role, NULL::text AS content, NULL::text AS status,
       created_at, NULL::text AS at, (SELECT intact FROM cached) AS delta, 0::bigint AS n FROM inserted
UNION ALL
SELECT 'history', id, role, content, status, NULL::timestamptz, ${pageKeySql('created_at')}, NULL::boolean,
       row_number() OVER (ORDER BY created_at DESC, id DESC)
FROM past
ORDER BY kind DESC, n`;
