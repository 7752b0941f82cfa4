import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb, type TenantScope } from '@parley/tenancy';
import type { ProviderKind } from '../providers/llm-provider';

/** A row of `provider_credentials` (the key only as its envelope). */
export interface ProviderCredentialRecord {
  id: string;
  kind: ProviderKind;
  baseUrl: string | null;
  model: string;
  encryptedKey: Buffer | null;
  keyHint: string | null;
  priority: number;
  updatedAt: Date;
}

export type ProviderCredentialWrite = Omit<ProviderCredentialRecord, 'updatedAt'> & { updatedBy: string };

interface Row {
  id: string;
  kind: ProviderKind;
  base_url: string | null;
  model: string;
  encrypted_key: Buffer | null;
  key_hint: string | null;
  priority: number;
  updated_at: Date;
}

const COLUMNS = 'id, kind, base_url, model, encrypted_key, key_hint, priority, updated_at';

/** `provider_credentials` in the tenant's schema: one row per provider kind. */
@Injectable()
export class ProviderCredentialsRepository {
  constructor(private readonly db: TenantDb) {}

  transaction<T>(tenantId: string, work: (tx: TenantScope) => Promise<T>): Promise<T> {
    return TenantContext.within(tenantId, () => this.db.run(work));
  }

  /** The tenant's providers in the order they are tried: priority, then kind. */
  async list(tenantId: string): Promise<ProviderCredentialRecord[]> {
    const rows = await this.transaction(tenantId, (tx) =>
      tx.query<Row>(`SELECT ${COLUMNS} FROM provider_credentials ORDER BY priority, kind`),
    );
    return rows.map(toRecord);
  }

  /** Serialises writes to one kind of one tenant until the transaction ends (the row id is chosen before the insert). */
  async lockKind(tx: TenantScope, kind: ProviderKind): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `chat:provider-credentials:${tx.tenantId}:${kind}`,
    ]);
  }

  async findByKind(tx: TenantScope, kind: ProviderKind): Promise<ProviderCredentialRecord | null> {
    const rows = await tx.query<Row>(`SELECT ${COLUMNS} FROM provider_credentials WHERE kind = $1`, [kind]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Inserts the row, or rewrites the one with this id. */
  async save(tx: TenantScope, row: ProviderCredentialWrite): Promise<ProviderCredentialRecord> {
    const rows = await tx.query<Row>(
      `INSERT INTO provider_credentials (id, kind, base_url, model, encrypted_key, key_hint, priority, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET base_url = EXCLUDED.base_url, model = EXCLUDED.model,
         encrypted_key = EXCLUDED.encrypted_key, key_hint = EXCLUDED.key_hint, priority = EXCLUDED.priority,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [row.id, row.kind, row.baseUrl, row.model, row.encryptedKey, row.keyHint, row.priority, row.updatedBy],
    );
    return toRecord(rows[0] as Row);
  }

  /** Removes the provider of this kind in the caller's transaction: its id, or null when there was none. */
  async delete(tx: TenantScope, kind: ProviderKind): Promise<string | null> {
    const raw = await tx.query<unknown>(`DELETE FROM provider_credentials WHERE kind = $1 RETURNING id`, [kind]);
    // The driver answers a DELETE … RETURNING with [rows, count].
    const rows = (Array.isArray(raw[0]) ? raw[0] : raw) as { id: string }[];
    return rows[0]?.id ?? null;
  }
}

function toRecord(row: Row): ProviderCredentialRecord {
  return {
    id: row.id,
    kind: row.kind,
    baseUrl: row.base_url,
    model: row.model,
    encryptedKey: row.encrypted_key,
    keyHint: row.key_hint,
    priority: row.priority,
    updatedAt: row.updated_at,
  };
}
