import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Role, ScimSettings } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../common/sql';
import type { ScimGroupState } from './scim-group-patch';
import type { ScimUserState } from './scim-user-patch';

export interface ScimDirectory extends ScimSettings {
  tenantId: string;
  tokenHint: string;
  createdAt: string;
  rotatedAt: string;
}

export interface ScimUserRecord extends ScimUserState {
  id: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ScimGroupRecord extends ScimGroupState {
  id: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Member user names for `display`. */
  memberNames: Record<string, string>;
}

type Runner = DataSource | EntityManager;

/** SCIM ids are UUIDs; anything else names no resource (404, not a cast error). */
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

interface UserRow {
  id: string;
  user_id: string;
  user_name: string;
  external_id: string | null;
  active: boolean;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const USER_SELECT = `SELECT s.id, s.user_id, s.user_name, s.external_id, s.active, s.display_name, s.given_name,
  s.family_name, u.email, s.created_at, s.updated_at, s.version
  FROM auth.scim_users s JOIN auth.users u ON u.id = s.user_id`;

function toUser(row: UserRow): ScimUserRecord {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    externalId: row.external_id,
    active: row.active,
    displayName: row.display_name,
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** `auth.scim_*`: every statement names the tenant, so one directory never reaches another tenant's rows. */
@Injectable()
export class ScimRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For reads outside a transaction. */
  get reader(): DataSource {
    return this.dataSource;
  }

  // --- the directory (token and settings) ---

  async directoryByTokenHash(hash: Buffer): Promise<string | null> {
    const rows = await this.dataSource.query<{ tenant_id: string }[]>(
      `SELECT tenant_id FROM auth.scim_directories WHERE token_hash = $1`,
      [hash],
    );
    return rows[0]?.tenant_id ?? null;
  }

  async directory(tenantId: string, runner: Runner = this.dataSource): Promise<ScimDirectory | null> {
    const rows = await runner.query<
      {
        token_hint: string;
        default_role: ScimSettings['defaultRole'];
        group_roles: ScimSettings['groupRoles'];
        created_at: Date;
        rotated_at: Date;
      }[]
    >(
      `SELECT token_hint, default_role, group_roles, created_at, rotated_at FROM auth.scim_directories WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId,
      tokenHint: row.token_hint,
      defaultRole: row.default_role,
      groupRoles: row.group_roles,
      createdAt: row.created_at.toISOString(),
      rotatedAt: row.rotated_at.toISOString(),
    };
  }

  /** Creates the directory or replaces its token (the old one stops working at once). */
  async setToken(tenantId: string, hash: Buffer, hint: string, runner: Runner = this.dataSource): Promise<void> {
    await runner.query(
      `INSERT INTO auth.scim_directories (tenant_id, token_hash, token_hint) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, token_hint = EXCLUDED.token_hint,
         rotated_at = now()`,
      [tenantId, hash, hint],
    );
  }

  async saveSettings(tenantId: string, settings: ScimSettings, runner: Runner = this.dataSource): Promise<boolean> {
    const { count } = await modify(
      runner,
      `UPDATE auth.scim_directories SET default_role = $2, group_roles = $3 WHERE tenant_id = $1`,
      [tenantId, settings.defaultRole, JSON.stringify(settings.groupRoles)],
    );
    return count > 0;
  }

  /** Turns directory sync off: the token stops working; the users and groups it made stay members. */
  async removeDirectory(tenantId: string, runner: Runner = this.dataSource): Promise<boolean> {
    const { count } = await modify(runner, `DELETE FROM auth.scim_directories WHERE tenant_id = $1`, [tenantId]);
    return count > 0;
  }

  // --- users ---

  async findUser(runner: Runner, tenantId: string, id: string): Promise<ScimUserRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await runner.query<UserRow[]>(`${USER_SELECT} WHERE s.tenant_id = $1 AND s.id = $2`, [tenantId, id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(
    tenantId: string,
    filter: { attribute: string; value: string } | null,
    page: { offset: number; limit: number },
  ): Promise<{ total: number; users: ScimUserRecord[] }> {
    const column = { userName: 'lower(s.user_name)', externalId: 's.external_id', 'emails.value': 'u.email' }[
      filter?.attribute ?? ''
    ];
    const where = column ? `AND ${column} = $2` : '';
    const value = filter?.attribute === 'externalId' ? filter.value : filter?.value.toLowerCase();
    const params = column ? [tenantId, value] : [tenantId];
    const total = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM auth.scim_users s JOIN auth.users u ON u.id = s.user_id WHERE s.tenant_id = $1 ${where}`,
      params,
    );
    const rows = await this.dataSource.query<UserRow[]>(
      `${USER_SELECT} WHERE s.tenant_id = $1 ${where} ORDER BY s.created_at, s.id
       OFFSET ${page.offset} LIMIT ${page.limit}`,
      params,
    );
    return { total: Number(total[0]?.n ?? 0), users: rows.map(toUser) };
  }

  async activeUsers(runner: Runner, tenantId: string): Promise<{ id: string; userId: string }[]> {
    const rows = await runner.query<{ id: string; user_id: string }[]>(
      `SELECT id, user_id FROM auth.scim_users WHERE tenant_id = $1 AND active ORDER BY id`,
      [tenantId],
    );
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  async userNameTaken(runner: Runner, tenantId: string, userName: string, exceptId: string | null): Promise<boolean> {
    const rows = await runner.query<unknown[]>(
      `SELECT 1 FROM auth.scim_users WHERE tenant_id = $1 AND lower(user_name) = lower($2) AND id IS DISTINCT FROM $3`,
      [tenantId, userName, exceptId],
    );
    return rows.length > 0;
  }

  async linkedUser(runner: Runner, tenantId: string, userId: string): Promise<string | null> {
    const rows = await runner.query<{ id: string }[]>(
      `SELECT id FROM auth.scim_users WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    return rows[0]?.id ?? null;
  }

  async insertUser(runner: Runner, tenantId: string, id: string, userId: string, state: ScimUserState): Promise<void> {
    await runner.query(
      `INSERT INTO auth.scim_users (id, tenant_id, user_id, user_name, external_id, active, display_name, given_name, family_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        tenantId,
        userId,
        state.userName,
        state.externalId,
        state.active,
        state.displayName,
        state.givenName,
        state.familyName,
      ],
    );
  }

  async updateUser(runner: Runner, tenantId: string, id: string, state: ScimUserState): Promise<void> {
    await modify(
      runner,
      `UPDATE auth.scim_users SET user_name = $3, external_id = $4, active = $5, display_name = $6, given_name = $7,
         family_name = $8, updated_at = now(), version = version + 1
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        state.userName,
        state.externalId,
        state.active,
        state.displayName,
        state.givenName,
        state.familyName,
      ],
    );
  }

  async deleteUser(runner: Runner, tenantId: string, id: string): Promise<void> {
    await modify(runner, `DELETE FROM auth.scim_users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  }

  /** The display names of the groups a SCIM user is in. */
  async groupsOf(runner: Runner, tenantId: string, scimUserId: string): Promise<{ id: string; displayName: string }[]> {
    return (
      await runner.query<{ id: string; display_name: string }[]>(
        `SELECT g.id, g.display_name FROM auth.scim_group_members m JOIN auth.scim_groups g ON g.id = m.group_id
          WHERE g.tenant_id = $1 AND m.scim_user_id = $2 ORDER BY g.display_name`,
        [tenantId, scimUserId],
      )
    ).map((row) => ({ id: row.id, displayName: row.display_name }));
  }

  // --- groups ---

  async findGroup(runner: Runner, tenantId: string, id: string): Promise<ScimGroupRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await runner.query<
      {
        id: string;
        display_name: string;
        external_id: string | null;
        created_at: Date;
        updated_at: Date;
        version: number;
      }[]
    >(
      `SELECT id, display_name, external_id, created_at, updated_at, version FROM auth.scim_groups
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    const row = rows[0];
    if (!row) return null;
    const members = await runner.query<{ id: string; user_name: string }[]>(
      `SELECT s.id, s.user_name FROM auth.scim_group_members m JOIN auth.scim_users s ON s.id = m.scim_user_id
        WHERE m.group_id = $1 ORDER BY s.user_name`,
      [id],
    );
    return {
      id: row.id,
      displayName: row.display_name,
      externalId: row.external_id,
      members: members.map((m) => m.id),
      memberNames: Object.fromEntries(members.map((m) => [m.id, m.user_name])),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
    };
  }

  async listGroupIds(
    tenantId: string,
    filter: { attribute: string; value: string } | null,
    page: { offset: number; limit: number },
  ): Promise<{ total: number; ids: string[] }> {
    const column = { displayName: 'lower(display_name)', externalId: 'external_id' }[filter?.attribute ?? ''];
    const where = column ? `AND ${column} = $2` : '';
    const value = filter?.attribute === 'displayName' ? filter.value.toLowerCase() : filter?.value;
    const params = column ? [tenantId, value] : [tenantId];
    const total = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM auth.scim_groups WHERE tenant_id = $1 ${where}`,
      params,
    );
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM auth.scim_groups WHERE tenant_id = $1 ${where} ORDER BY created_at, id OFFSET ${page.offset} LIMIT ${page.limit}`,
      params,
    );
    return { total: Number(total[0]?.n ?? 0), ids: rows.map((row) => row.id) };
  }

  async groupNameTaken(runner: Runner, tenantId: string, name: string, exceptId: string | null): Promise<boolean> {
    const rows = await runner.query<unknown[]>(
      `SELECT 1 FROM auth.scim_groups WHERE tenant_id = $1 AND lower(display_name) = lower($2) AND id IS DISTINCT FROM $3`,
      [tenantId, name, exceptId],
    );
    return rows.length > 0;
  }

  /** Writes the group and its members (only this tenant's SCIM users; unknown ids are answered by the caller). */
  async saveGroup(runner: Runner, tenantId: string, id: string, state: ScimGroupState, isNew: boolean): Promise<void> {
    if (isNew) {
      await runner.query(
        `INSERT INTO auth.scim_groups (id, tenant_id, display_name, external_id) VALUES ($1, $2, $3, $4)`,
        [id, tenantId, state.displayName, state.externalId],
      );
    } else {
      await modify(
        runner,
        `UPDATE auth.scim_groups SET display_name = $3, external_id = $4, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, state.displayName, state.externalId],
      );
      await modify(runner, `DELETE FROM auth.scim_group_members WHERE group_id = $1`, [id]);
    }
    if (state.members.length > 0) {
      await runner.query(
        `INSERT INTO auth.scim_group_members (group_id, scim_user_id)
         SELECT $1, s.id FROM auth.scim_users s WHERE s.tenant_id = $2 AND s.id = ANY($3::uuid[])`,
        [id, tenantId, state.members],
      );
    }
  }

  async deleteGroup(runner: Runner, tenantId: string, id: string): Promise<void> {
    await modify(runner, `DELETE FROM auth.scim_groups WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  }

  /** Of these ids, the ones that are SCIM users of this tenant. */
  async existingUserIds(runner: Runner, tenantId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await runner.query<{ id: string }[]>(
      `SELECT id FROM auth.scim_users WHERE tenant_id = $1 AND id::text = ANY($2::text[])`,
      [tenantId, ids],
    );
    return rows.map((row) => row.id);
  }

  /** The role a SCIM user should have now: the strongest role their groups map to, else the default. */
  async roleFor(runner: Runner, tenantId: string, scimUserId: string, directory: ScimSettings): Promise<Role> {
    const groups = new Set((await this.groupsOf(runner, tenantId, scimUserId)).map((g) => g.displayName.toLowerCase()));
    const rank: Record<string, number> = { admin: 3, billing: 2, member: 1 };
    const mapped = directory.groupRoles.filter((row) => groups.has(row.group.toLowerCase())).map((row) => row.role);
    if (mapped.length === 0) return directory.defaultRole;
    return mapped.reduce((best, role) => ((rank[role] ?? 0) > (rank[best] ?? 0) ? role : best));
  }
}
