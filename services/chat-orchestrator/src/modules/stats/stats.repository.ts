import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb, type TenantScope } from '@parley/tenancy';
import type { ChatPrincipal } from '../principal/chat-principal';

/** A principal that owns conversations and writes messages. */
export interface StatsOwner {
  kind: ChatPrincipal['ownerKind'];
  id: string;
}

export interface UsageTotals {
  messages: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
}

export interface DayCounts extends UsageTotals {
  day: string;
  conversations: number;
}

export interface OwnerCounts extends UsageTotals {
  owner: StatsOwner;
  conversations: number;
}

/**
 * Whose a message is: a user message its author's, an assistant message the owner's of its
 * conversation (the principal it answered).
 */
const MESSAGE_OWNER_KIND = `CASE WHEN m.role = 'user' THEN m.author_kind ELSE c.owner_kind END`;
const MESSAGE_OWNER_ID = `CASE WHEN m.role = 'user' THEN m.author_id ELSE c.owner_id END`;

/** Messages of both roles; tokens and cost are carried by assistant messages. */
const USAGE = `count(*)::int AS messages,
  coalesce(sum(m.prompt_tokens) FILTER (WHERE m.role = 'assistant'), 0)::text AS prompt_tokens,
  coalesce(sum(m.completion_tokens) FILTER (WHERE m.role = 'assistant'), 0)::text AS completion_tokens,
  coalesce(sum(m.cost_micros) FILTER (WHERE m.role = 'assistant'), 0)::text AS cost_micros`;

interface UsageRow {
  messages: number;
  prompt_tokens: string;
  completion_tokens: string;
  cost_micros: string;
}

const DAY = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/** Aggregates over `conversations` and `messages` of the tenant's schema, by UTC day and by owner. */
@Injectable()
export class StatsRepository {
  constructor(private readonly db: TenantDb) {}

  /** Counts per day with activity in [start, end); only `owner`'s when given. */
  perDay(tenantId: string, start: Date, end: Date, owner: StatsOwner | null): Promise<DayCounts[]> {
    return TenantContext.within(tenantId, () =>
      this.db.run(async (tx) => {
        const conversations = await tx.query<{ day: string; n: number }>(
          `SELECT ${DAY('created_at')} AS day, count(*)::int AS n FROM conversations
            WHERE created_at >= $1 AND created_at < $2
              AND ($3::text IS NULL OR (owner_kind = $3 AND owner_id = $4))
            GROUP BY 1`,
          [start, end, owner?.kind ?? null, owner?.id ?? null],
        );
        const messages = await tx.query<UsageRow & { day: string }>(
          `SELECT ${DAY('m.created_at')} AS day, ${USAGE}
             FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.created_at >= $1 AND m.created_at < $2
              AND ($3::text IS NULL OR (${MESSAGE_OWNER_KIND} = $3 AND ${MESSAGE_OWNER_ID} = $4))
            GROUP BY 1`,
          [start, end, owner?.kind ?? null, owner?.id ?? null],
        );
        const byDay = new Map<string, DayCounts>();
        const at = (day: string): DayCounts => {
          let counts = byDay.get(day);
          if (!counts) {
            counts = { day, conversations: 0, ...ZERO };
            byDay.set(day, counts);
          }
          return counts;
        };
        for (const row of conversations) at(row.day).conversations = row.n;
        for (const row of messages) Object.assign(at(row.day), usage(row));
        return [...byDay.values()];
      }),
    );
  }

  /** Counts per owner with activity in [start, end). */
  perOwner(tenantId: string, start: Date, end: Date): Promise<OwnerCounts[]> {
    return TenantContext.within(tenantId, () => this.db.run((tx) => this.ownerCounts(tx, start, end)));
  }

  private async ownerCounts(tx: TenantScope, start: Date, end: Date): Promise<OwnerCounts[]> {
    const conversations = await tx.query<{ kind: StatsOwner['kind']; id: string; n: number }>(
      `SELECT owner_kind AS kind, owner_id AS id, count(*)::int AS n FROM conversations
        WHERE created_at >= $1 AND created_at < $2
        GROUP BY 1, 2`,
      [start, end],
    );
    const messages = await tx.query<UsageRow & { kind: StatsOwner['kind']; id: string }>(
      `SELECT ${MESSAGE_OWNER_KIND} AS kind, ${MESSAGE_OWNER_ID} AS id, ${USAGE}
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.created_at >= $1 AND m.created_at < $2
        GROUP BY 1, 2`,
      [start, end],
    );
    const byOwner = new Map<string, OwnerCounts>();
    const at = (kind: StatsOwner['kind'], id: string): OwnerCounts => {
      const key = `${kind}:${id}`;
      let counts = byOwner.get(key);
      if (!counts) {
        counts = { owner: { kind, id }, conversations: 0, ...ZERO };
        byOwner.set(key, counts);
      }
      return counts;
    };
    for (const row of conversations) at(row.kind, row.id).conversations = row.n;
    for (const row of messages) Object.assign(at(row.kind, row.id), usage(row));
    return [...byOwner.values()];
  }
}

const ZERO: UsageTotals = { messages: 0, promptTokens: 0, completionTokens: 0, costMicros: 0 };

/** Sums arrive as text (bigint/numeric); every realistic total is far below 2^53. */
function usage(row: UsageRow): UsageTotals {
  return {
    messages: row.messages,
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    costMicros: Number(row.cost_micros),
  };
}
