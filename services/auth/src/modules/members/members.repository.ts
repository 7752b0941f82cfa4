import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../common/sql';
import type { Role } from '../access-tokens/access-token.claims';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

interface MemberRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
}

/** A tenant's memberships (`auth.memberships`); every query is bound to one tenant id. */
@Injectable()
export class MembersRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(tenantId: string): Promise<MemberView[]> {
    const rows = await this.dataSource.query<MemberRow[]>(
      `SELECT u.id, u.email, u.name, m.role, m.created_at
         FROM auth.memberships m
         JOIN auth.users u ON u.id = m.user_id
        WHERE m.tenant_id = $1
        ORDER BY m.created_at, u.id`,
      [tenantId],
    );
    return rows.map(toView);
  }

  async find(manager: EntityManager, tenantId: string, userId: string): Promise<MemberView | null> {
    const rows = await manager.query<MemberRow[]>(
      `SELECT u.id, u.email, u.name, m.role, m.created_at
         FROM auth.memberships m
         JOIN auth.users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [tenantId, userId],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async countOwners(manager: EntityManager, tenantId: string): Promise<number> {
    return this.count(manager, `SELECT count(*) AS n FROM auth.memberships WHERE tenant_id = $1 AND role = 'owner'`, [
      tenantId,
    ]);
  }

  async countMembers(manager: EntityManager, tenantId: string): Promise<number> {
    return this.count(manager, `SELECT count(*) AS n FROM auth.memberships WHERE tenant_id = $1`, [tenantId]);
  }

  async setRole(manager: EntityManager, tenantId: string, userId: string, role: Role): Promise<void> {
    await modify(manager, `UPDATE auth.memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2`, [
      tenantId,
      userId,
      role,
    ]);
  }

  /** Deletes the membership; its sessions and refresh tokens go with it (ON DELETE CASCADE). */
  async remove(manager: EntityManager, tenantId: string, userId: string): Promise<void> {
    await modify(manager, `DELETE FROM auth.memberships WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
  }

  private async count(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const rows = await manager.query<{ n: string }[]>(sql, params);
    return Number(rows[0]?.n ?? 0);
  }
}

function toView(row: MemberRow): MemberView {
  return { userId: row.id, email: row.email, name: row.name, role: row.role, joinedAt: row.created_at.toISOString() };
}
