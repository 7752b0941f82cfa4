import { Injectable } from '@nestjs/common';
import type { UsageFigures, UsageGroupBy } from '@parley/contracts';
import { TenantDb, type TenantScope } from '@parley/tenancy';

/** Whose usage a report counts: the whole tenant, or one principal's own. */
export type UsageSubject =
  { kind: 'tenant' } | { kind: 'user'; userId: string } | { kind: 'api-key'; apiKeyId: string } | { kind: 'anonymous' };

/** A grouping dimension: how a row of either table maps to its group key. */
export type Dimension = UsageGroupBy | 'all';

export interface Period {
  start: Date;
  end: Date;
}

type Row = Record<string, string | number | null> & { key: string | null };

/** SQL of a row's group key; `time` is the table's instant column. */
function keyOf(dimension: Dimension, time: string): string {
  switch (dimension) {
    case 'all':
      return `'all'`;
    case 'day':
      return `to_char(${time} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    case 'member':
      return 'user_id::text';
    case 'model':
      return 'model';
    case 'apiKey':
      return 'api_key_id::text';
    case 'channel':
      return `CASE WHEN api_key_id IS NULL THEN 'web' ELSE 'api' END`;
  }
}

/** The subject's rows only: `AND …` with its parameter at `$3` (when it has one). */
function subjectFilter(subject: UsageSubject): { sql: string; params: string[] } {
  switch (subject.kind) {
    case 'tenant':
      return { sql: '', params: [] };
    case 'user':
      return { sql: 'AND user_id = $3', params: [subject.userId] };
    case 'api-key':
      return { sql: 'AND api_key_id = $3', params: [subject.apiKeyId] };
    case 'anonymous':
      return { sql: 'AND user_id IS NULL AND api_key_id IS NULL', params: [] };
  }
}

/**
 * Sign-ins (`auth.signed-in.v1` in `analytics_events`) count as activity for the dimensions they
 * have: the day, the member, the web app. Not for a model or an API key, and never for an API key's
 * own report.
 */
function signIns(dimension: Dimension, subject: UsageSubject): string {
  if (subject.kind === 'api-key' || subject.kind === 'anonymous') return '';
  if (dimension === 'model' || dimension === 'apiKey') return '';
  const key =
    dimension === 'day'
      ? `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
      : dimension === 'member'
        ? `data->>'userId'`
        : dimension === 'channel'
          ? `'web'`
          : `'all'`;
  const own = subject.kind === 'user' ? `AND data->>'userId' = $3::text` : '';
  return `UNION ALL
         SELECT ${key} AS key, (data->>'userId')::uuid AS user_id FROM analytics_events
          WHERE type = 'auth.signed-in' AND occurred_at >= $1 AND occurred_at < $2 ${own}`;
}

const ZERO: UsageFigures = {
  activePeople: 0,
  conversations: 0,
  messages: 0,
  usageRecords: 0,
  promptTokens: 0,
  completionTokens: 0,
  costMicros: 0,
  audioSeconds: 0,
};

/**
 * Reads the tenant's event store. Tokens, cost and audio are sums over `analytics_usage` (one row
 * per `usage.recorded.v1`, by `recorded_at`): for a period they are exactly the sum of the usage
 * events billing meters. Messages and conversations come from `analytics_messages`; active people
 * are the distinct user ids in either.
 */
@Injectable()
export class UsageRepository {
  constructor(private readonly db: TenantDb) {}

  /** Everything a report needs, in one transaction on the tenant's schema. */
  read<T>(work: (reader: UsageReader) => Promise<T>): Promise<T> {
    return this.db.run((scope) => work(new UsageReader(scope)));
  }
}

export class UsageReader {
  constructor(private readonly scope: TenantScope) {}

  /** Figures per group key over the period (only keys with activity). */
  async figures(
    dimension: Dimension,
    period: Period,
    subject: UsageSubject,
  ): Promise<Map<string | null, UsageFigures>> {
    const filter = subjectFilter(subject);
    const params = [period.start, period.end, ...filter.params];
    const usage = await this.scope.query<Row>(
      `SELECT ${keyOf(dimension, 'recorded_at')} AS key, count(*)::int AS usage_records,
              coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens,
              coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens,
              coalesce(sum(cost_micros), 0)::bigint AS cost_micros,
              coalesce(sum(quantity) FILTER (WHERE kind = 'stt_seconds'), 0)::float8 AS audio_seconds
         FROM analytics_usage WHERE recorded_at >= $1 AND recorded_at < $2 ${filter.sql} GROUP BY 1`,
      params,
    );
    const messages = await this.scope.query<Row>(
      `SELECT ${keyOf(dimension, 'completed_at')} AS key, count(*)::int AS messages,
              count(DISTINCT conversation_id)::int AS conversations
         FROM analytics_messages WHERE completed_at >= $1 AND completed_at < $2 ${filter.sql} GROUP BY 1`,
      params,
    );
    const people = await this.scope.query<Row>(
      `SELECT key, count(DISTINCT user_id)::int AS active_people FROM (
         SELECT ${keyOf(dimension, 'recorded_at')} AS key, user_id FROM analytics_usage
          WHERE recorded_at >= $1 AND recorded_at < $2 ${filter.sql}
         UNION ALL
         SELECT ${keyOf(dimension, 'completed_at')} AS key, user_id FROM analytics_messages
          WHERE completed_at >= $1 AND completed_at < $2 ${filter.sql}
         ${signIns(dimension, subject)}
       ) activity WHERE user_id IS NOT NULL GROUP BY key`,
      params,
    );
    const out = new Map<string | null, UsageFigures>();
    const at = (key: string | null): UsageFigures => {
      let figures = out.get(key);
      if (!figures) out.set(key, (figures = { ...ZERO }));
      return figures;
    };
    for (const r of usage) {
      Object.assign(at(r.key), {
        usageRecords: Number(r.usage_records),
        promptTokens: Number(r.prompt_tokens),
        completionTokens: Number(r.completion_tokens),
        costMicros: Number(r.cost_micros),
        audioSeconds: Number(r.audio_seconds),
      });
    }
    for (const r of messages) {
      Object.assign(at(r.key), { messages: Number(r.messages), conversations: Number(r.conversations) });
    }
    for (const r of people) at(r.key).activePeople = Number(r.active_people);
    return out;
  }

  /** Distinct active people in the period (user ids with a usage record, an answer or a sign-in): one query. */
  async activePeople(period: Period, subject: UsageSubject): Promise<number> {
    const filter = subjectFilter(subject);
    const [row] = await this.scope.query<{ n: number }>(
      `SELECT count(DISTINCT user_id)::int AS n FROM (
         SELECT 'all' AS key, user_id FROM analytics_usage WHERE recorded_at >= $1 AND recorded_at < $2 ${filter.sql}
         UNION ALL
         SELECT 'all' AS key, user_id FROM analytics_messages WHERE completed_at >= $1 AND completed_at < $2 ${filter.sql}
         ${signIns('all', subject)}
       ) activity`,
      [period.start, period.end, ...filter.params],
    );
    return Number(row?.n ?? 0);
  }

  /** The skills used most in the period, by completed messages. */
  async topSkills(
    period: Period,
    subject: UsageSubject,
    limit: number,
  ): Promise<{ skill: string; messages: number }[]> {
    const filter = subjectFilter(subject);
    const rows = await this.scope.query<{ skill: string; messages: number }>(
      `SELECT skill, count(*)::int AS messages FROM analytics_messages
        WHERE completed_at >= $1 AND completed_at < $2 AND skill IS NOT NULL ${filter.sql}
        GROUP BY skill ORDER BY messages DESC, skill LIMIT ${Number(limit)}`,
      [period.start, period.end, ...filter.params],
    );
    return rows.map((r) => ({ skill: r.skill, messages: Number(r.messages) }));
  }
}

export const ZERO_FIGURES: Readonly<UsageFigures> = ZERO;
