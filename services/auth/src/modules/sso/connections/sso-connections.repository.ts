import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainException,
  ErrorCode,
  SSO_LIMITS,
  type AttributeMapping,
  type LdapSettingsView,
  type OidcSettingsView,
  type Role,
  type SamlIdpSettings,
  type SsoLoginTrace,
  type SsoProtocol,
} from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../../common/sql';

interface StoredConnection {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  attributeMapping: AttributeMapping;
  defaultRole: Exclude<Role, 'owner'>;
  groupRoles: { group: string; role: Exclude<Role, 'owner'> }[];
  /** The OIDC client secret or LDAP bind password, or SAML's signing key of ours, sealed (SsoSecrets). */
  sealedSecret: Buffer | null;
  /** SAML, during a rotation of our signing key: the next key (its certificate, its sealed private key). */
  spNextKey: { certificatePem: string; sealedKey: Buffer } | null;
  createdAt: string;
  updatedAt: string;
}

/** A stored SAML connection (certificates as PEM). */
export type SamlConnection = StoredConnection & { protocol: 'saml'; idp: SamlIdpSettings };
/** A stored OIDC connection (its settings in `idp`, its client secret sealed). */
export type OidcConnection = StoredConnection & { protocol: 'oidc'; idp: OidcSettingsView };
/** A stored LDAP connection (its settings in `idp`, its bind password sealed). */
export type LdapConnection = StoredConnection & { protocol: 'ldap'; idp: LdapSettingsView };
export type SsoConnection = SamlConnection | OidcConnection | LdapConnection;

type FieldsOf<C> = C extends unknown ? Omit<C, 'id' | 'tenantId' | 'createdAt' | 'updatedAt' | 'spNextKey'> : never;
export type SsoConnectionFields = FieldsOf<SsoConnection>;

/** The tenant a public SSO route names by slug. */
export interface SsoTenant {
  id: string;
  slug: string;
  status: string;
}

interface ConnectionRow {
  id: string;
  tenant_id: string;
  protocol: SsoProtocol;
  name: string;
  enabled: boolean;
  idp: SsoConnection['idp'];
  attribute_mapping: AttributeMapping;
  default_role: Exclude<Role, 'owner'>;
  group_roles: SsoConnection['groupRoles'];
  sealed_secret: Buffer | null;
  sp_next_certificate: string | null;
  sealed_next_secret: Buffer | null;
  created_at: Date;
  updated_at: Date;
}

interface TraceRow {
  id: string;
  connection_id: string;
  outcome: SsoLoginTrace['outcome'];
  reason: SsoLoginTrace['reason'];
  steps: SsoLoginTrace['steps'];
  attributes: SsoLoginTrace['attributes'];
  name_id: string | null;
  user_id: string | null;
  created_at: Date;
}

const COLUMNS =
  'id, tenant_id, protocol, name, enabled, idp, attribute_mapping, default_role, group_roles, sealed_secret, ' +
  'sp_next_certificate, sealed_next_secret, created_at, updated_at';

function toConnection(r: ConnectionRow): SsoConnection {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    protocol: r.protocol,
    name: r.name,
    enabled: r.enabled,
    idp: r.idp,
    attributeMapping: r.attribute_mapping,
    defaultRole: r.default_role,
    groupRoles: r.group_roles,
    sealedSecret: r.sealed_secret,
    spNextKey:
      r.sp_next_certificate !== null && r.sealed_next_secret !== null
        ? { certificatePem: r.sp_next_certificate, sealedKey: r.sealed_next_secret }
        : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  } as SsoConnection;
}

/** `auth.sso_connections` and `auth.sso_login_traces`: every query names its tenant. */
@Injectable()
export class SsoConnectionsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A tenant by slug (control.tenants, read only), for the public routes. */
  async tenantBySlug(slug: string): Promise<SsoTenant | null> {
    const rows = await this.dataSource.query<SsoTenant[]>(
      `SELECT id, slug, status FROM control.tenants WHERE slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async tenantSlug(tenantId: string): Promise<string> {
    const rows = await this.dataSource.query<{ slug: string }[]>(`SELECT slug FROM control.tenants WHERE id = $1`, [
      tenantId,
    ]);
    const slug = rows[0]?.slug;
    if (!slug) throw new DomainException(ErrorCode.TenantNotFound, 'Tenant not found');
    return slug;
  }

  async list(tenantId: string): Promise<SsoConnection[]> {
    const rows = await this.dataSource.query<ConnectionRow[]>(
      `SELECT ${COLUMNS} FROM auth.sso_connections WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toConnection);
  }

  /** `forUpdate`: the row stays locked until the manager's transaction ends. */
  async find(tenantId: string, id: string, manager?: EntityManager, forUpdate = false): Promise<SsoConnection | null> {
    const rows = await (manager ?? this.dataSource).query<ConnectionRow[]>(
      `SELECT ${COLUMNS} FROM auth.sso_connections WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toConnection(rows[0]) : null;
  }

  async findByProtocol<P extends SsoProtocol>(
    tenantId: string,
    protocol: P,
  ): Promise<Extract<SsoConnection, { protocol: P }> | null> {
    const rows = await this.dataSource.query<ConnectionRow[]>(
      `SELECT ${COLUMNS} FROM auth.sso_connections WHERE tenant_id = $1 AND protocol = $2`,
      [tenantId, protocol],
    );
    return rows[0] ? (toConnection(rows[0]) as Extract<SsoConnection, { protocol: P }>) : null;
  }

  /** Throws `sso_connection_exists` when the tenant already has one of this protocol. */
  async insert(
    manager: EntityManager,
    row: SsoConnectionFields & { id: string; tenantId: string; createdBy: string },
  ): Promise<SsoConnection> {
    try {
      const rows = await manager.query<ConnectionRow[]>(
        `INSERT INTO auth.sso_connections
           (id, tenant_id, protocol, name, enabled, idp, attribute_mapping, default_role, group_roles, created_by,
            sealed_secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING ${COLUMNS}`,
        [
          row.id,
          row.tenantId,
          row.protocol,
          row.name,
          row.enabled,
          JSON.stringify(row.idp),
          JSON.stringify(row.attributeMapping),
          row.defaultRole,
          JSON.stringify(row.groupRoles),
          row.createdBy,
          row.sealedSecret,
        ],
      );
      return toConnection(rows[0] as ConnectionRow);
    } catch (error) {
      const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driverError?.code === '23505' && driverError.constraint === 'sso_connections_tenant_protocol_key') {
        throw new DomainException(
          ErrorCode.SsoConnectionExists,
          `This tenant already has a ${row.protocol} connection: replace it`,
        );
      }
      throw error;
    }
  }

  async replace(
    manager: EntityManager,
    tenantId: string,
    id: string,
    fields: SsoConnectionFields,
  ): Promise<SsoConnection | null> {
    const { rows } = await modify<ConnectionRow>(
      manager,
      `UPDATE auth.sso_connections
          SET name = $3, enabled = $4, idp = $5, attribute_mapping = $6, default_role = $7, group_roles = $8,
              sealed_secret = $10, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND protocol = $9
        RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        fields.name,
        fields.enabled,
        JSON.stringify(fields.idp),
        JSON.stringify(fields.attributeMapping),
        fields.defaultRole,
        JSON.stringify(fields.groupRoles),
        fields.protocol,
        fields.sealedSecret,
      ],
    );
    return rows[0] ? toConnection(rows[0]) : null;
  }

  /**
   * A SAML connection's signing keys of ours: the current certificate (in `idp`) with its sealed key,
   * and the next key or null. Null when the connection is not the tenant's SAML connection.
   */
  async setSigningKeys(
    manager: EntityManager,
    tenantId: string,
    id: string,
    keys: { idp: SamlIdpSettings; sealedSecret: Buffer | null; next: SsoConnection['spNextKey'] },
  ): Promise<SsoConnection | null> {
    const { rows } = await modify<ConnectionRow>(
      manager,
      `UPDATE auth.sso_connections
          SET idp = $3, sealed_secret = $4, sp_next_certificate = $5, sealed_next_secret = $6, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND protocol = 'saml'
        RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        JSON.stringify(keys.idp),
        keys.sealedSecret,
        keys.next?.certificatePem ?? null,
        keys.next?.sealedKey ?? null,
      ],
    );
    return rows[0] ? toConnection(rows[0]) : null;
  }

  async delete(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const { count } = await modify(manager, `DELETE FROM auth.sso_connections WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return count > 0;
  }

  /** Records a login trace and keeps only the newest SSO_LIMITS.traces of the connection, ≤ traceDays old. */
  async addTrace(tenantId: string, trace: SsoLoginTrace): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO auth.sso_login_traces
           (id, tenant_id, connection_id, outcome, reason, steps, attributes, name_id, user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          trace.id,
          tenantId,
          trace.connectionId,
          trace.outcome,
          trace.reason,
          JSON.stringify(trace.steps),
          JSON.stringify(trace.attributes),
          trace.nameId,
          trace.userId,
          trace.createdAt,
        ],
      );
      await manager.query(
        `DELETE FROM auth.sso_login_traces
          WHERE connection_id = $1 AND (created_at < now() - make_interval(days => $3) OR id NOT IN (
            SELECT id FROM auth.sso_login_traces WHERE connection_id = $1 ORDER BY created_at DESC, id LIMIT $2))`,
        [trace.connectionId, SSO_LIMITS.traces, SSO_LIMITS.traceDays],
      );
    });
  }

  async traces(tenantId: string, connectionId: string): Promise<SsoLoginTrace[]> {
    const rows = await this.dataSource.query<TraceRow[]>(
      `SELECT id, connection_id, outcome, reason, steps, attributes, name_id, user_id, created_at
         FROM auth.sso_login_traces WHERE tenant_id = $1 AND connection_id = $2
        ORDER BY created_at DESC, id`,
      [tenantId, connectionId],
    );
    return rows.map((r) => ({
      id: r.id,
      connectionId: r.connection_id,
      outcome: r.outcome,
      reason: r.reason,
      steps: r.steps,
      attributes: r.attributes,
      nameId: r.name_id,
      userId: r.user_id,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
