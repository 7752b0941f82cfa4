import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { TenantContext, TenantDb, type TenantScope } from '@parley/tenancy';
import type { ChatPrincipal } from '../principal/chat-principal';
import type { SkillRecord, SkillVisibility } from './skill';

interface SkillRow {
  id: string;
  name: string;
  command: string;
  description: string | null;
  system_prompt: string;
  model: string | null;
  visibility: SkillVisibility;
  created_by_kind: ChatPrincipal['ownerKind'];
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface SkillFields {
  name: string;
  command: string;
  description: string | null;
  systemPrompt: string;
  model: string | null;
  visibility: SkillVisibility;
}

const COLUMNS =
  'id, name, command, description, system_prompt, model, visibility, created_by_kind, created_by, created_at, updated_at';

/** What a principal sees of the table: every tenant skill and its own private ones ($1 kind, $2 id). */
const VISIBLE = `(visibility = 'tenant' OR (visibility = 'private' AND created_by_kind = $1 AND created_by = $2))`;

/**
 * `skills` in the tenant's schema. Reads filter by what the principal may see; writes that set a
 * command run under a per-tenant, per-command advisory lock (see `lockCommand`), and the partial
 * unique indexes back that up.
 */
@Injectable()
export class SkillsRepository {
  constructor(private readonly db: TenantDb) {}

  /** A transaction in the principal's tenant schema. */
  transaction<T>(principal: ChatPrincipal, work: (tx: TenantScope) => Promise<T>): Promise<T> {
    return TenantContext.within(principal.tenantId, () => this.db.run(work));
  }

  async listVisible(principal: ChatPrincipal): Promise<SkillRecord[]> {
    const rows = await this.transaction(principal, (tx) =>
      tx.query<SkillRow>(`SELECT ${COLUMNS} FROM skills WHERE ${VISIBLE} ORDER BY command, visibility, id`, [
        principal.ownerKind,
        principal.ownerId,
      ]),
    );
    return rows.map(toRecord);
  }

  /** The skill if this principal can see it; the row is locked when `tx` is given. */
  async findVisible(principal: ChatPrincipal, id: string, tx?: TenantScope): Promise<SkillRecord | null> {
    const find = (scope: TenantScope) =>
      scope.query<SkillRow>(`SELECT ${COLUMNS} FROM skills WHERE id = $3 AND ${VISIBLE}${tx ? ' FOR UPDATE' : ''}`, [
        principal.ownerKind,
        principal.ownerId,
        id,
      ]);
    const rows = tx ? await find(tx) : await this.transaction(principal, find);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The skill a command invokes for this principal: its own private skill first, then the tenant's. */
  async findByCommand(principal: ChatPrincipal, command: string): Promise<SkillRecord | null> {
    const rows = await this.transaction(principal, (tx) =>
      tx.query<SkillRow>(
        `SELECT ${COLUMNS} FROM skills WHERE command = $3 AND ${VISIBLE}
          ORDER BY (visibility = 'private') DESC LIMIT 1`,
        [principal.ownerKind, principal.ownerId, command],
      ),
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Serialises every write that sets this command in this tenant until the transaction ends, so
   * "is it taken?" and the write that takes it cannot interleave with another request's (the unique
   * indexes alone cover only tenant-vs-tenant and same-owner private pairs).
   */
  async lockCommand(tx: TenantScope, command: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `chat:skill-command:${tx.tenantId}:${command}`,
    ]);
  }

  /** Whether the command is used by a skill this principal sees (other than `exceptId`). */
  async commandTaken(tx: TenantScope, principal: ChatPrincipal, command: string, exceptId?: string): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM skills WHERE command = $3 AND ${VISIBLE} AND ($4::uuid IS NULL OR id <> $4::uuid) LIMIT 1`,
      [principal.ownerKind, principal.ownerId, command, exceptId ?? null],
    );
    return rows.length > 0;
  }

  /** Inserts the skill; null when a unique index refuses its command. */
  async insert(
    tx: TenantScope,
    id: string,
    principal: ChatPrincipal,
    fields: SkillFields,
  ): Promise<SkillRecord | null> {
    return uniqueOrNull(async () => {
      const rows = await tx.query<SkillRow>(
        `INSERT INTO skills (id, name, command, description, system_prompt, model, visibility, created_by_kind, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${COLUMNS}`,
        [
          id,
          fields.name,
          fields.command,
          fields.description,
          fields.systemPrompt,
          fields.model,
          fields.visibility,
          principal.ownerKind,
          principal.ownerId,
        ],
      );
      return toRecord(rows[0] as SkillRow);
    });
  }

  /** Writes the skill's fields and owner; null when a unique index refuses its command. */
  async update(tx: TenantScope, record: SkillRecord): Promise<SkillRecord | null> {
    return uniqueOrNull(async () => {
      const raw = await tx.query<unknown>(
        `UPDATE skills SET name = $2, command = $3, description = $4, system_prompt = $5, model = $6,
                visibility = $7, created_by_kind = $8, created_by = $9, updated_at = now()
          WHERE id = $1
          RETURNING ${COLUMNS}`,
        [
          record.id,
          record.name,
          record.command,
          record.description,
          record.systemPrompt,
          record.model,
          record.visibility,
          record.createdByKind,
          record.createdBy,
        ],
      );
      const row = returnedRows<SkillRow>(raw)[0];
      if (!row) throw new Error('The locked skill row disappeared');
      return toRecord(row);
    });
  }

  async delete(tx: TenantScope, id: string): Promise<void> {
    await tx.query(`DELETE FROM skills WHERE id = $1`, [id]);
  }
}

function toRecord(row: SkillRow): SkillRecord {
  return {
    id: row.id,
    name: row.name,
    command: row.command,
    description: row.description,
    systemPrompt: row.system_prompt,
    model: row.model,
    visibility: row.visibility,
    createdByKind: row.created_by_kind,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** TypeORM's Postgres driver answers UPDATE … RETURNING with `[rows, count]`. */
function returnedRows<Row>(raw: unknown): Row[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return raw[0] as Row[];
  }
  return raw as Row[];
}

async function uniqueOrNull<T>(write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') return null;
    throw error;
  }
}
