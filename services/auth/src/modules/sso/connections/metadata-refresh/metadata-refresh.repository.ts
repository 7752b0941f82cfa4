import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import type { SamlIdpSettings } from '@parley/contracts';

/** A SAML connection whose IdP settings come from a metadata URL. */
export interface MetadataSource {
  id: string;
  tenantId: string;
  idp: SamlIdpSettings & { metadataUrl: string };
}

/**
 * The SAML connections read from a metadata URL, across tenants (a platform job, not a tenant's
 * request): one stale connection at a time, locked (`FOR UPDATE SKIP LOCKED`) so replicas never
 * refresh the same one at once.
 */
@Injectable()
export class MetadataRefreshRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The next connection last checked before `staleBefore` (or whose last check failed before
   * `retryBefore`), locked for this transaction; null when none is due.
   */
  async claimDue(manager: EntityManager, staleBefore: Date, retryBefore: Date): Promise<MetadataSource | null> {
    const rows = await manager.query<{ id: string; tenant_id: string; idp: MetadataSource['idp'] }[]>(
      `SELECT id, tenant_id, idp FROM auth.sso_connections
        WHERE protocol = 'saml' AND idp ? 'metadataUrl'
          AND (COALESCE((idp->>'metadataCheckedAt')::timestamptz, (idp->>'metadataFetchedAt')::timestamptz,
                        '-infinity') < $1
               OR (idp ? 'metadataRefreshError' AND (idp->>'metadataCheckedAt')::timestamptz < $2))
        ORDER BY COALESCE((idp->>'metadataCheckedAt')::timestamptz, '-infinity')
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [staleBefore, retryBefore],
    );
    const row = rows[0];
    return row ? { id: row.id, tenantId: row.tenant_id, idp: row.idp } : null;
  }

  async saveIdp(manager: EntityManager, source: MetadataSource, idp: SamlIdpSettings): Promise<void> {
    await manager.query(
      `UPDATE auth.sso_connections SET idp = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [source.tenantId, source.id, JSON.stringify(idp)],
    );
  }
}
