import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@parley/tenancy';

export interface SettingView {
  key: string;
  value: unknown;
  updatedAt: string;
}

interface SettingRow {
  key: string;
  value: unknown;
  updated_at: Date;
}

const toView = (row: SettingRow): SettingView => ({
  key: row.key,
  value: row.value,
  updatedAt: row.updated_at.toISOString(),
});

/** The tenant schema's `settings` table; reachable only through a TenantScope (the tenant's schema). */
@Injectable()
export class SettingsRepository {
  async get(scope: TenantScope, key: string): Promise<SettingView | null> {
    const [row] = await scope.query<SettingRow>('SELECT key, value, updated_at FROM settings WHERE key = $1', [key]);
    return row ? toView(row) : null;
  }

  /** `json` is the value's JSON text (jsonb keeps any JSON value, null included). */
  async put(scope: TenantScope, key: string, json: string): Promise<SettingView> {
    const [row] = await scope.query<SettingRow>(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
       RETURNING key, value, updated_at`,
      [key, json],
    );
    if (!row) throw new Error('Upsert of a setting returned no row');
    return toView(row);
  }
}
