import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import type { PlanId, Role } from '../access-tokens/access-token.claims';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

/** A membership with its tenant, read from control.tenants (owned by the tenant service; read only). */
export interface MembershipRecord {
  tenantId: string;
  role: Role;
  slug: string;
  name: string;
  plan: PlanId;
}

export interface SessionView {
  user: { id: string; email: string; name: string };
  role: Role;
  revoked: boolean;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
}

interface MembershipRow {
  tenant_id: string;
  role: Role;
  slug: string;
  name: string;
  plan_id: PlanId;
}

interface SessionViewRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  revoked: boolean;
}

/** Users and memberships in the `auth` schema. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Whether the tenant has any member yet, serialised with other first sign-ups of that tenant. */
  async lockAndCountMembers(manager: EntityManager, tenantId: string): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`first-owner:${tenantId}`]);
    const rows = await manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM auth.memberships WHERE tenant_id = $1',
      [tenantId],
    );
    return rows[0]?.n ?? 0;
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const rows = await this.dataSource.query<UserRow[]>(
      `SELECT id, email, name, password_hash FROM auth.users WHERE email = $1`,
      [email],
    );
    const row = rows[0];
    return row ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash } : null;
  }

  /** Throws `email_taken` when the (normalised) email already exists. */
  async insertUser(manager: EntityManager, user: UserRecord): Promise<void> {
    try {
      await manager.query(`INSERT INTO auth.users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, [
        user.id,
        user.email,
        user.name,
        user.passwordHash,
      ]);
    } catch (error) {
      const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driverError?.code === '23505' && driverError.constraint === 'users_email_key') throw emailTaken();
      throw error;
    }
  }

  async setPasswordHash(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE auth.users SET password_hash = $2 WHERE id = $1`, [userId, passwordHash]);
  }

  async insertMembership(manager: EntityManager, userId: string, tenantId: string, role: Role): Promise<void> {
    await manager.query(`INSERT INTO auth.memberships (user_id, tenant_id, role) VALUES ($1, $2, $3)`, [
      userId,
      tenantId,
      role,
    ]);
  }

  /** The user's membership in one tenant, with the tenant, if there is one. */
  async membershipIn(manager: EntityManager, userId: string, tenantId: string): Promise<MembershipRecord | null> {
    const rows = await manager.query<MembershipRow[]>(
      `SELECT m.tenant_id, m.role, t.slug, t.name, t.plan_id
         FROM auth.memberships m
         JOIN control.tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1 AND m.tenant_id = $2`,
      [userId, tenantId],
    );
    const r = rows[0];
    return r ? { tenantId: r.tenant_id, role: r.role, slug: r.slug, name: r.name, plan: r.plan_id } : null;
  }

  /** The user's memberships, oldest first. */
  async membershipsOf(userId: string): Promise<MembershipRecord[]> {
    const rows = await this.dataSource.query<MembershipRow[]>(
      `SELECT m.tenant_id, m.role, t.slug, t.name, t.plan_id
         FROM auth.memberships m
         JOIN control.tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1
        ORDER BY m.created_at, m.tenant_id`,
      [userId],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, role: r.role, slug: r.slug, name: r.name, plan: r.plan_id }));
  }

  /** The user and current role behind a session, if the session belongs to this user and tenant. */
  async sessionView(sessionId: string, userId: string, tenantId: string): Promise<SessionView | null> {
    const rows = await this.dataSource.query<SessionViewRow[]>(
      `SELECT u.id, u.email, u.name, m.role, s.revoked_at IS NOT NULL AS revoked
         FROM auth.sessions s
         JOIN auth.users u ON u.id = s.user_id
         JOIN auth.memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.tenant_id = $3`,
      [sessionId, userId, tenantId],
    );
    const row = rows[0];
    return row
      ? { user: { id: row.id, email: row.email, name: row.name }, role: row.role, revoked: row.revoked }
      : null;
  }
}

export function emailTaken(): DomainException {
  return new DomainException(ErrorCode.EmailTaken, 'An account with this email already exists');
}
