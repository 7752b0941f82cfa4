import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { SsoPolicyView } from '@parley/contracts';
import { DATA_SOURCE, type RevokedSession } from '@parley/tenancy';
import { modify } from '../../../common/sql';

type Runner = DataSource | EntityManager;

/** The protocols that sign in by a redirect to the IdP, and where that redirect starts. */
const REDIRECT_PROTOCOLS: Readonly<Record<string, string>> = { saml: 'saml', oidc: 'oidc' };

/** A tenant's enabled connection, as sign-in needs it. */
export interface EnabledConnection {
  protocol: 'saml' | 'oidc' | 'ldap';
  tenantSlug: string;
  tenantName: string;
  /** Where a browser starts the login (`null` for LDAP: a password form posts to auth). */
  loginPath: string | null;
}

/** `auth.sso_policies` and what enforcing them reads: one tenant at a time. */
@Injectable()
export class SsoPolicyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Revokes every live session of the tenant but those of these users; answers them for the edge. */
  async revokeSessionsExcept(
    manager: EntityManager,
    tenantId: string,
    keep: readonly string[],
  ): Promise<RevokedSession[]> {
    const { rows } = await modify<{ id: string; tenant_id: string }>(
      manager,
      `UPDATE auth.sessions SET revoked_at = now(), revoke_reason = 'sign_out'
        WHERE tenant_id = $1 AND revoked_at IS NULL AND NOT (user_id = ANY($2::uuid[]))
        RETURNING id, tenant_id`,
      [tenantId, keep],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, sessionId: row.id }));
  }

  async get(tenantId: string, runner: Runner = this.dataSource): Promise<SsoPolicyView> {
    const rows = await runner.query<{ sso_required: boolean; break_glass_user_ids: string[]; updated_at: Date }[]>(
      `SELECT sso_required, break_glass_user_ids, updated_at FROM auth.sso_policies WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    return row
      ? {
          ssoRequired: row.sso_required,
          breakGlassUserIds: row.break_glass_user_ids,
          updatedAt: row.updated_at.toISOString(),
        }
      : { ssoRequired: false, breakGlassUserIds: [], updatedAt: null };
  }

  async save(
    runner: Runner,
    tenantId: string,
    policy: { ssoRequired: boolean; breakGlassUserIds: string[] },
    by: string,
  ): Promise<void> {
    await runner.query(
      `INSERT INTO auth.sso_policies (tenant_id, sso_required, break_glass_user_ids, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET sso_required = EXCLUDED.sso_required,
         break_glass_user_ids = EXCLUDED.break_glass_user_ids, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [tenantId, policy.ssoRequired, policy.breakGlassUserIds, by],
    );
  }

  /** The tenant's first enabled connection (SAML, then OIDC, then LDAP), or null. */
  async enabledConnection(tenantId: string, runner: Runner = this.dataSource): Promise<EnabledConnection | null> {
    const rows = await runner.query<{ protocol: EnabledConnection['protocol']; slug: string; name: string }[]>(
      `SELECT c.protocol, t.slug, t.name FROM auth.sso_connections c JOIN control.tenants t ON t.id = c.tenant_id
        WHERE c.tenant_id = $1 AND c.enabled
        ORDER BY CASE c.protocol WHEN 'saml' THEN 1 WHEN 'oidc' THEN 2 ELSE 3 END LIMIT 1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    const redirect = REDIRECT_PROTOCOLS[row.protocol];
    return {
      protocol: row.protocol,
      tenantSlug: row.slug,
      tenantName: row.name,
      loginPath: redirect ? `/api/v1/sso/${redirect}/${row.slug}/login` : null,
    };
  }

  /** The owners of the tenant among these users. */
  async ownersAmong(runner: Runner, tenantId: string, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await runner.query<{ user_id: string }[]>(
      `SELECT user_id FROM auth.memberships WHERE tenant_id = $1 AND role = 'owner' AND user_id = ANY($2::uuid[])`,
      [tenantId, userIds],
    );
    return rows.map((row) => row.user_id);
  }
}
