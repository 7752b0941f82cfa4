import { Injectable } from '@nestjs/common';
import type { SttUpstreamKind } from '@parley/contracts';
import { TenantContext, TenantDb, type TenantScope } from '@parley/tenancy';

/** A row of `stt_upstreams` (the key only as its envelope). */
export interface SttUpstreamRecord {
  id: string;
  kind: SttUpstreamKind;
  baseUrl: string;
  model: string;
  encryptedKey: Buffer | null;
  keyHint: string | null;
  updatedAt: Date;
}

export type SttUpstreamWrite = Omit<SttUpstreamRecord, 'updatedAt'> & { updatedBy: string };

interface Row {
  id: string;
  kind: SttUpstreamKind;
  base_url: string;
  model: string;
  encrypted_key: Buffer | null;
  key_hint: string | null;
  updated_at: Date;
}

const COLUMNS = 'id, kind, base_url, model, encrypted_key, key_hint, updated_at';

/** `stt_upstreams` in the tenant's schema: one row per kind. */
@Injectable()
export class SttUpstreamsRepository {
  constructor(private readonly db: TenantDb) {}

  /** Runs in the tenant's schema: the request's tenant (the guard set it), or this one outside a request. */
  transaction<T>(tenantId: string, work: (tx: TenantScope) => Promise<T>): Promise<T> {
    return TenantContext.within(tenantId, () => this.db.run(work));
  }

  async list(tenantId: string): Promise<SttUpstreamRecord[]> {
    const rows = await this.transaction(tenantId, (tx) =>
      tx.query<Row>(`SELECT ${COLUMNS} FROM stt_upstreams ORDER BY kind`),
    );
    return rows.map(toRecord);
  }

  async find(tenantId: string, kind: SttUpstreamKind): Promise<SttUpstreamRecord | null> {
    return this.transaction(tenantId, (tx) => this.findByKind(tx, kind));
  }

  /** Serialises writes to one kind of one tenant until the transaction ends (the row id is chosen before the insert). */
  async lockKind(tx: TenantScope, kind: SttUpstreamKind): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stt:upstreams:${tx.tenantId}:${kind}`]);
  }

  async findByKind(tx: TenantScope, kind: SttUpstreamKind): Promise<SttUpstreamRecord | null> {
    const rows = await tx.query<Row>(`SELECT ${COLUMNS} FROM stt_upstreams WHERE kind = $1`, [kind]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Inserts the row, or rewrites the one with this id. */
  async save(tx: TenantScope, row: SttUpstreamWrite): Promise<SttUpstreamRecord> {
    const rows = await tx.query<Row>(
      `INSERT INTO stt_upstreams (id, kind, base_url, model, encrypted_key, key_hint, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET base_url = EXCLUDED.base_url, model = EXCLUDED.model,
         encrypted_key = EXCLUDED.encrypted_key, key_hint = EXCLUDED.key_hint,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [row.id, row.kind, row.baseUrl, row.model, row.encryptedKey, row.keyHint, row.updatedBy],
    );
    return toRecord(rows[0] as Row);
  }

  /** False when the tenant has no upstream of this kind. */
  async delete(tenantId: string, kind: SttUpstreamKind): Promise<boolean> {
    const rows = await this.transaction(tenantId, (tx) =>
      tx.query<unknown>(`DELETE FROM stt_upstreams WHERE kind = $1 RETURNING id`, [kind]),
    );
    // The driver answers a DELETE … RETURNING as [rows, count].
    const deleted = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
    return deleted.length > 0;
  }
}

function toRecord(row: Row): SttUpstreamRecord {
  return {
    id: row.id,
    kind: row.kind,
    baseUrl: row.base_url,
    model: row.model,
    encryptedKey: row.encrypted_key,
    keyHint: row.key_hint,
    updatedAt: row.updated_at,
  };
}
