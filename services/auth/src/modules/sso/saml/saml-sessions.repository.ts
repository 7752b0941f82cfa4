import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, type RevokedSession } from '@parley/tenancy';
import { modify } from '../../../common/sql';

/** What a SAML login left with its session: who the IdP named, and its session there. */
export interface SamlSessionLink {
  sessionId: string;
  tenantId: string;
  connectionId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

interface LinkRow {
  session_id: string;
  tenant_id: string;
  connection_id: string;
  name_id: string;
  name_id_format: string | null;
  session_index: string | null;
}

/** `auth.saml_sessions`: every query names its tenant. */
@Injectable()
export class SamlSessionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async record(manager: EntityManager, link: SamlSessionLink): Promise<void> {
    await manager.query(
      `INSERT INTO auth.saml_sessions (session_id, tenant_id, connection_id, name_id, name_id_format, session_index)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [link.sessionId, link.tenantId, link.connectionId, link.nameId, link.nameIdFormat, link.sessionIndex],
    );
  }

  async find(tenantId: string, sessionId: string): Promise<SamlSessionLink | null> {
    const rows = await this.dataSource.query<LinkRow[]>(
      `SELECT session_id, tenant_id, connection_id, name_id, name_id_format, session_index
         FROM auth.saml_sessions WHERE tenant_id = $1 AND session_id = $2`,
      [tenantId, sessionId],
    );
    const row = rows[0];
    return row
      ? {
          sessionId: row.session_id,
          tenantId: row.tenant_id,
          connectionId: row.connection_id,
          nameId: row.name_id,
          nameIdFormat: row.name_id_format,
          sessionIndex: row.session_index,
        }
      : null;
  }

  /**
   * Revokes the live sessions a connection's NameID opened in the tenant, only those of the given
   * IdP sessions when the LogoutRequest names any (SessionIndex); returns them for the edge.
   */
  async revokeOfNameId(
    manager: EntityManager,
    target: { tenantId: string; connectionId: string; nameId: string; sessionIndexes: readonly string[] },
  ): Promise<RevokedSession[]> {
    const { rows } = await modify<{ id: string; tenant_id: string }>(
      manager,
      `UPDATE auth.sessions s SET revoked_at = now(), revoke_reason = 'sign_out'
         FROM auth.saml_sessions l
        WHERE l.session_id = s.id AND l.tenant_id = $1 AND s.tenant_id = $1 AND l.connection_id = $2
          AND l.name_id = $3 AND (cardinality($4::text[]) = 0 OR l.session_index = ANY($4::text[]))
          AND s.revoked_at IS NULL
        RETURNING s.id, s.tenant_id`,
      [target.tenantId, target.connectionId, target.nameId, [...target.sessionIndexes]],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, sessionId: row.id }));
  }
}
