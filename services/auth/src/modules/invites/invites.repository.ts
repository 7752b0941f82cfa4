import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../common/sql';
import type { Role } from '../access-tokens/access-token.claims';

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewInviteRow {
  id: string;
  tenantId: string;
  email: string;
  role: Role;
  hash: Buffer;
  invitedBy: string;
  ttlSeconds: number;
}

/** An invite found by its token. `usable`: sent, not accepted, not revoked (expiry apart). */
export interface InviteByToken {
  id: string;
  tenantId: string;
  email: string;
  role: Role;
  usable: boolean;
  expired: boolean;
}

interface ViewRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
}

const VIEW_COLUMNS = 'id, email, role, invited_by, created_at, expires_at';
/** Outstanding: not accepted, revoked or expired; sent, or being sent (a crash leaves it unusable). */
const OUTSTANDING = `accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
  AND (sent_at IS NOT NULL OR created_at > now() - interval '5 minutes')`;

/** `auth.invites`: single-use tokens stored as sha256, usable only once their mail was sent. */
@Injectable()
export class InvitesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async isMember(manager: EntityManager, tenantId: string, email: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM auth.memberships m JOIN auth.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND u.email = $2`,
      [tenantId, email],
    );
    return rows.length > 0;
  }

  /** Distinct emails with an outstanding invite, other than `exceptEmail` (a new invite replaces its own). */
  async countOutstandingEmails(manager: EntityManager, tenantId: string, exceptEmail: string): Promise<number> {
    const rows = await manager.query<{ n: string }[]>(
      `SELECT count(DISTINCT email) AS n FROM auth.invites WHERE tenant_id = $1 AND email <> $2 AND ${OUTSTANDING}`,
      [tenantId, exceptEmail],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Names for the mail: the tenant's and the inviter's. */
  async mailContext(
    manager: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<{ tenant: string; inviter: string }> {
    const rows = await manager.query<{ tenant: string; inviter: string }[]>(
      `SELECT t.name AS tenant, u.name AS inviter FROM control.tenants t, auth.users u WHERE t.id = $1 AND u.id = $2`,
      [tenantId, userId],
    );
    return rows[0] ?? { tenant: 'Parley', inviter: 'A colleague' };
  }

  async insert(manager: EntityManager, invite: NewInviteRow): Promise<InviteView> {
    const rows = await manager.query<ViewRow[]>(
      `INSERT INTO auth.invites (id, tenant_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       RETURNING ${VIEW_COLUMNS}`,
      [invite.id, invite.tenantId, invite.email, invite.role, invite.hash, invite.invitedBy, invite.ttlSeconds],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toView(row);
  }

  /** The mail went out: the invite becomes usable, and replaces the email's earlier ones. */
  async markSent(tenantId: string, id: string, email: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await modify(manager, `UPDATE auth.invites SET sent_at = now() WHERE id = $1`, [id]);
      await this.revokeOthers(manager, tenantId, email, id);
    });
  }

  /** The mail could not be sent: the invite never existed for anyone. */
  async delete(id: string): Promise<void> {
    await modify(this.dataSource, `DELETE FROM auth.invites WHERE id = $1 AND sent_at IS NULL`, [id]);
  }

  async listOutstanding(tenantId: string): Promise<InviteView[]> {
    const rows = await this.dataSource.query<ViewRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM auth.invites
        WHERE tenant_id = $1 AND sent_at IS NOT NULL AND ${OUTSTANDING}
        ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toView);
  }

  /** Revokes an invite of this tenant that is still open. False when the tenant has no such invite. */
  /** `revoked` by this call, `already` accepted or revoked, or `missing` (no such invite in the tenant). */
  async revoke(manager: EntityManager, tenantId: string, id: string): Promise<'revoked' | 'already' | 'missing'> {
    const { count } = await modify(
      manager,
      `UPDATE auth.invites SET revoked_at = now()
        WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [tenantId, id],
    );
    if (count > 0) return 'revoked';
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM auth.invites WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return rows.length > 0 ? 'already' : 'missing';
  }

  /** By token hash; inside a transaction (`manager`), the row stays locked until it ends. */
  async findByToken(hash: Buffer, manager?: EntityManager): Promise<InviteByToken | null> {
    const rows = await (manager ?? this.dataSource).query<
      { id: string; tenant_id: string; email: string; role: Role; usable: boolean; expired: boolean }[]
    >(
      `SELECT id, tenant_id, email, role,
              sent_at IS NOT NULL AND accepted_at IS NULL AND revoked_at IS NULL AS usable,
              expires_at <= now() AS expired
         FROM auth.invites WHERE token_hash = $1 ${manager ? 'FOR UPDATE' : ''}`,
      [hash],
    );
    const r = rows[0];
    return r
      ? { id: r.id, tenantId: r.tenant_id, email: r.email, role: r.role, usable: r.usable, expired: r.expired }
      : null;
  }

  /** Marks it accepted by the user, and closes the email's other open invites to the tenant. */
  async markAccepted(manager: EntityManager, invite: InviteByToken, userId: string): Promise<void> {
    await modify(manager, `UPDATE auth.invites SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [
      invite.id,
      userId,
    ]);
    await this.revokeOthers(manager, invite.tenantId, invite.email, invite.id);
  }

  private async revokeOthers(manager: EntityManager, tenantId: string, email: string, keepId: string): Promise<void> {
    await modify(
      manager,
      `UPDATE auth.invites SET revoked_at = now()
        WHERE tenant_id = $1 AND email = $2 AND id <> $3 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [tenantId, email, keepId],
    );
  }
}

function toView(row: ViewRow): InviteView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}
