import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../common/sql';
import type { PlanId } from '../access-tokens/access-token.claims';

/** What a tenant sees of a key: never the key or its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface NewApiKeyRow {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  hash: Buffer;
  scopes: string[];
  createdBy: string;
  expiresAt: Date | null;
}

/** A key found by its prefix, with what verification decides on. */
export interface ApiKeyCandidate {
  id: string;
  tenantId: string;
  hash: Buffer;
  scopes: string[];
  plan: PlanId;
  expiresAt: Date | null;
  usable: boolean;
  usedRecently: boolean;
}

interface ViewRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const VIEW_COLUMNS = 'id, name, prefix, scopes, created_by, created_at, expires_at, last_used_at';

/** `auth.api_keys`: tenant-scoped rows of prefix + sha256; only verification looks up by prefix alone. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Keys that count against the plan: not revoked and not expired. */
  async countActive(manager: EntityManager, tenantId: string): Promise<number> {
    const rows = await manager.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM auth.api_keys
        WHERE tenant_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [tenantId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Inserts the key; null if its prefix is taken (then the caller draws another). */
  async insert(manager: EntityManager, key: NewApiKeyRow): Promise<ApiKeyView | null> {
    const rows = await manager.query<ViewRow[]>(
      `INSERT INTO auth.api_keys (id, tenant_id, name, prefix, secret_hash, scopes, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (prefix) DO NOTHING
       RETURNING ${VIEW_COLUMNS}`,
      [key.id, key.tenantId, key.name, key.prefix, key.hash, key.scopes, key.createdBy, key.expiresAt],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /** The tenant's keys that are not revoked (expired ones included, marked by expiresAt), oldest first. */
  async list(tenantId: string): Promise<ApiKeyView[]> {
    const rows = await this.dataSource.query<ViewRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM auth.api_keys
        WHERE tenant_id = $1 AND revoked_at IS NULL
        ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toView);
  }

  /** Revokes a key of this tenant. False when the tenant has no such key (revoked or not). */
  /** `revoked` by this call, `already` revoked before, or `missing` (no such key in the tenant). */
  async revoke(
    manager: EntityManager,
    tenantId: string,
    id: string,
    revokedBy: string,
  ): Promise<'revoked' | 'already' | 'missing'> {
    const { count } = await modify(
      manager,
      `UPDATE auth.api_keys SET revoked_at = now(), revoked_by = $3
        WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [tenantId, id, revokedBy],
    );
    if (count > 0) return 'revoked';
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM auth.api_keys WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return rows.length > 0 ? 'already' : 'missing';
  }

  /** One indexed lookup (unique prefix) joined with the tenant's plan; decisions use the database clock. */
  async findByPrefix(prefix: string): Promise<ApiKeyCandidate | null> {
    const rows = await this.dataSource.query<
      {
        id: string;
        tenant_id: string;
        secret_hash: Buffer;
        scopes: string[];
        plan_id: PlanId;
        expires_at: Date | null;
        usable: boolean;
        used_recently: boolean;
      }[]
    >(
      `SELECT k.id, k.tenant_id, k.secret_hash, k.scopes, t.plan_id, k.expires_at,
              (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND t.status <> 'deleted')
                AS usable,
              coalesce(k.last_used_at > now() - interval '1 minute', false) AS used_recently
         FROM auth.api_keys k
         JOIN control.tenants t ON t.id = k.tenant_id
        WHERE k.prefix = $1`,
      [prefix],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      hash: r.secret_hash,
      scopes: r.scopes,
      plan: r.plan_id,
      expiresAt: r.expires_at,
      usable: r.usable,
      usedRecently: r.used_recently,
    };
  }

  /** Records use at most once a minute per key, whichever replica gets there first. */
  async touch(id: string): Promise<void> {
    await modify(
      this.dataSource,
      `UPDATE auth.api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')`,
      [id],
    );
  }
}

function toView(row: ViewRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
