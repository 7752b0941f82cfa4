import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditListQuery, MessageOf, AuditActionRecordedV1 } from '@parley/contracts';
import { TenantDb, type TenantScope } from '@parley/tenancy';
import { entryHash, GENESIS_HASH, type ChainedEntry, type ChainedFields } from './audit-chain';

interface Row {
  seq: string;
  id: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export type AuditFilters = Omit<AuditListQuery, 'limit' | 'cursor'>;

const COLUMNS =
  'seq, id, occurred_at, actor_kind, actor_id, action, target_type, target_id, ip, user_agent, request_id, details, prev_hash, hash';

/**
 * The tenant's hash-chained audit log. Appends take a per-tenant transaction lock, so entries get
 * consecutive seqs and each names the hash of the one before it, whichever replica writes.
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly db: TenantDb) {}

  /** Appends an action once (its auditId); false when it was already there. */
  append(event: MessageOf<typeof AuditActionRecordedV1>): Promise<boolean> {
    return this.db.run(async (scope) => {
      await scope.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.audit_log'))`);
      const seen = await scope.query('SELECT 1 FROM audit_log WHERE id = $1', [event.auditId]);
      if (seen.length > 0) return false;
      const [last] = await scope.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const start = last ? null : await this.anchor(scope);
      const fields: ChainedFields = {
        seq: last ? Number(last.seq) + 1 : start!.firstSeq,
        id: event.auditId,
        occurredAt: new Date(event.occurredAt).toISOString(),
        actorKind: event.actor.kind,
        actorId: event.actor.id,
        action: event.action,
        targetType: event.target.type,
        targetId: event.target.id,
        ip: event.ip,
        userAgent: event.userAgent,
        requestId: event.requestId,
        details: event.details,
      };
      const prevHash = last ? last.hash : start!.prevHash;
      await scope.query(
        `INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          fields.seq,
          fields.id,
          fields.occurredAt,
          fields.actorKind,
          fields.actorId,
          fields.action,
          fields.targetType,
          fields.targetId,
          fields.ip,
          fields.userAgent,
          fields.requestId,
          JSON.stringify(fields.details),
          prevHash,
          entryHash(prevHash, fields),
        ],
      );
      return true;
    });
  }

  /** Newest first, filtered, older than `beforeSeq` when given. */
  list(filters: AuditFilters, limit: number, beforeSeq?: number): Promise<AuditEntry[]> {
    return this.db.run(async (scope) => {
      const { where, params } = whereOf(filters, beforeSeq);
      const rows = await scope.query<Row>(
        `SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY seq DESC LIMIT ${Number(limit)}`,
        params,
      );
      return rows.map(toEntry);
    });
  }

  /** Where the chain starts: the genesis, or where the retention pass cut it. */
  start(): Promise<{ firstSeq: number; prevHash: string }> {
    return this.db.run((scope) => this.anchor(scope));
  }

  /** Entries in chain order after `afterSeq`, for verification. */
  chainAfter(afterSeq: number, limit: number): Promise<ChainedEntry[]> {
    return this.db.run(async (scope) => {
      const rows = await scope.query<Row>(
        `SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT ${Number(limit)}`,
        [afterSeq],
      );
      return rows.map((r) => {
        const e = toEntry(r);
        return { ...e, actorKind: e.actor.kind, actorId: e.actor.id, targetType: e.target.type, targetId: e.target.id };
      });
    });
  }

  /**
   * Retention: removes the head of the chain up to the newest entry that occurred before `before`
   * and moves the anchor past it (first kept seq, the removed entry's hash), in one transaction, so
   * the kept chain still verifies. Returns how many entries went.
   */
  prune(before: Date): Promise<number> {
    return this.db.run(async (scope) => {
      await scope.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.audit_log'))`);
      const [cut] = await scope.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log WHERE occurred_at < $1)`,
        [before],
      );
      if (!cut) return 0;
      await scope.query(`SELECT set_config('parley.audit_retention', 'on', true)`);
      const [removed] = await scope.query<{ n: string }>(
        'WITH gone AS (DELETE FROM audit_log WHERE seq <= $1 RETURNING 1) SELECT count(*) n FROM gone',
        [cut.seq],
      );
      await scope.query(
        `INSERT INTO audit_log_anchor (singleton, first_seq, prev_hash, pruned_at) VALUES (true, $1, $2, now())
         ON CONFLICT (singleton) DO UPDATE SET first_seq = $1, prev_hash = $2, pruned_at = now()`,
        [Number(cut.seq) + 1, cut.hash],
      );
      return Number(removed?.n ?? 0);
    });
  }

  private async anchor(scope: TenantScope): Promise<{ firstSeq: number; prevHash: string }> {
    const [a] = await scope.query<{ first_seq: string; prev_hash: string }>(
      'SELECT first_seq, prev_hash FROM audit_log_anchor',
    );
    return a ? { firstSeq: Number(a.first_seq), prevHash: a.prev_hash } : { firstSeq: 1, prevHash: GENESIS_HASH };
  }
}

function whereOf(f: AuditFilters, beforeSeq?: number): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.action) add('action = ?', f.action);
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.targetType) add('target_type = ?', f.targetType);
  if (f.targetId) add('target_id = ?', f.targetId);
  if (beforeSeq !== undefined) add('seq < ?', beforeSeq);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toEntry(r: Row): AuditEntry {
  return {
    seq: Number(r.seq),
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    actor: { kind: r.actor_kind as AuditEntry['actor']['kind'], id: r.actor_id },
    action: r.action as AuditEntry['action'],
    target: { type: r.target_type, id: r.target_id },
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
