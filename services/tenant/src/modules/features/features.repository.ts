import { Injectable } from '@nestjs/common';
import type { Sql } from '../tenant-state/tenant-state.repository';

/** `control.tenant_features`: a tenant's overrides of the global flags. */
@Injectable()
export class FeaturesRepository {
  async overrides(sql: Sql, tenantId: string): Promise<Record<string, boolean>> {
    const rows = (await sql.query('SELECT name, enabled FROM control.tenant_features WHERE tenant_id = $1', [
      tenantId,
    ])) as { name: string; enabled: boolean }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.enabled]));
  }

  async set(sql: Sql, tenantId: string, name: string, enabled: boolean): Promise<void> {
    await sql.query(
      `INSERT INTO control.tenant_features (tenant_id, name, enabled) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
      [tenantId, name, enabled],
    );
  }

  async clear(sql: Sql, tenantId: string, name: string): Promise<void> {
    await sql.query('DELETE FROM control.tenant_features WHERE tenant_id = $1 AND name = $2', [tenantId, name]);
  }
}
