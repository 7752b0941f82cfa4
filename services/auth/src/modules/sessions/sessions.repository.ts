import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, type RevokedSession } from '@parley/tenancy';
import { modify } from '../../common/sql';
import type { PlanId, Role } from '../access-tokens/access-token.claims';

export type RevokeReason = 'sign_out' | 'refresh_token_reused' | 'password_reset';

/** A refresh token with its session, membership and tenant plan, locked for rotation. */
export interface RefreshTokenState {
  sessionId: string;
  familyId: string;
  userId: string;
  tenantId: string;
  role: Role;
  plan: PlanId;
  used: boolean;
  expired: boolean;
  sessionRevoked: boolean;
}

interface StateRow {
  session_id: string;
  family_id: string;
  user_id: string;
  tenant_id: string;
  role: Role;
  plan_id: PlanId;
  used: boolean;
  expired: boolean;
  revoked: boolean;
}

/** Sessions and their refresh tokens (stored as sha256 hashes only). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertSession(
    manager: EntityManager,
    session: { id: string; userId: string; tenantId: string; familyId: string },
  ): Promise<void> {
    await manager.query(`INSERT INTO auth.sessions (id, user_id, tenant_id, family_id) VALUES ($1, $2, $3, $4)`, [
      session.id,
      session.userId,
      session.tenantId,
      session.familyId,
    ]);
  }

  async insertRefreshToken(
    manager: EntityManager,
    token: { hash: Buffer; sessionId: string; familyId: string; ttlSeconds: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO auth.refresh_tokens (token_hash, session_id, family_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [token.hash, token.sessionId, token.familyId, token.ttlSeconds],
    );
  }

  /** The token's state, with the token and its session row-locked until the transaction ends. */
  async lockRefreshToken(manager: EntityManager, hash: Buffer): Promise<RefreshTokenState | null> {
    const rows = await manager.query<StateRow[]>(
      `SELECT rt.session_id, rt.family_id, s.user_id, s.tenant_id, m.role, t.plan_id,
              rt.used_at IS NOT NULL AS used, rt.expires_at <= now() AS expired, s.revoked_at IS NOT NULL AS revoked
         FROM auth.refresh_tokens rt
         JOIN auth.sessions s ON s.id = rt.session_id
         JOIN auth.memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id
         JOIN control.tenants t ON t.id = s.tenant_id
        WHERE rt.token_hash = $1
        FOR UPDATE OF rt, s`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      sessionId: row.session_id,
      familyId: row.family_id,
      userId: row.user_id,
      tenantId: row.tenant_id,
      role: row.role,
      plan: row.plan_id,
      used: row.used,
      expired: row.expired,
      sessionRevoked: row.revoked,
    };
  }

  async markUsed(manager: EntityManager, hash: Buffer, replacedBy: Buffer): Promise<void> {
    await manager.query(`UPDATE auth.refresh_tokens SET used_at = now(), replaced_by = $2 WHERE token_hash = $1`, [
      hash,
      replacedBy,
    ]);
  }

  /** Revokes every live session of a refresh-token family; returns them (for the edge's revocation set). */
  async revokeFamily(manager: EntityManager, familyId: string, reason: RevokeReason): Promise<RevokedSession[]> {
    return revoked(
      await modify<SessionRow>(
        manager,
        `UPDATE auth.sessions SET revoked_at = now(), revoke_reason = $2
          WHERE family_id = $1 AND revoked_at IS NULL RETURNING id, tenant_id`,
        [familyId, reason],
      ),
    );
  }

  /** Revokes every live session of a user, in every tenant; returns them. */
  async revokeAllOfUser(manager: EntityManager, userId: string, reason: RevokeReason): Promise<RevokedSession[]> {
    return revoked(
      await modify<SessionRow>(
        manager,
        `UPDATE auth.sessions SET revoked_at = now(), revoke_reason = $2
          WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, tenant_id`,
        [userId, reason],
      ),
    );
  }

  /** Revokes every live session of a member in one tenant ("sign out everywhere", removal); returns them. */
  async revokeAllOfMember(
    manager: EntityManager,
    member: { tenantId: string; userId: string },
    reason: RevokeReason,
  ): Promise<RevokedSession[]> {
    return revoked(
      await modify<SessionRow>(
        manager,
        `UPDATE auth.sessions SET revoked_at = now(), revoke_reason = $3
          WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id, tenant_id`,
        [member.tenantId, member.userId, reason],
      ),
    );
  }

  /** Revokes one session, only if it belongs to this user in this tenant. Idempotent; returns it when it was live. */
  async revokeSession(
    session: { id: string; userId: string; tenantId: string },
    reason: RevokeReason,
  ): Promise<RevokedSession[]> {
    return revoked(
      await modify<SessionRow>(
        this.dataSource,
        `UPDATE auth.sessions SET revoked_at = now(), revoke_reason = $4
          WHERE id = $1 AND user_id = $2 AND tenant_id = $3 AND revoked_at IS NULL RETURNING id, tenant_id`,
        [session.id, session.userId, session.tenantId, reason],
      ),
    );
  }
}

interface SessionRow {
  id: string;
  tenant_id: string;
}

function revoked({ rows }: { rows: SessionRow[] }): RevokedSession[] {
  return rows.map((row) => ({ tenantId: row.tenant_id, sessionId: row.id }));
}
