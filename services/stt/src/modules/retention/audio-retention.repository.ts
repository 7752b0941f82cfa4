import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb, type TenantScope } from '@parley/tenancy';

export interface RetentionSetting {
  enabled: boolean;
  days: number;
}

/** Off until the tenant turns it on (no row). */
export const RETENTION_OFF: RetentionSetting = { enabled: false, days: 30 };

/** `stt_retention` (the setting) and `stt_audio` (the kept uploads) in the tenant's schema. */
@Injectable()
export class AudioRetentionRepository {
  constructor(private readonly db: TenantDb) {}

  /** Runs in the tenant's schema: the request's tenant (the guard set it), or this one outside a request. */
  transaction<T>(tenantId: string, work: (tx: TenantScope) => Promise<T>): Promise<T> {
    return TenantContext.within(tenantId, () => this.db.run(work));
  }

  async setting(tx: TenantScope): Promise<RetentionSetting> {
    const rows = await tx.query<RetentionSetting>(`SELECT enabled, days FROM stt_retention`);
    return rows[0] ?? RETENTION_OFF;
  }

  async saveSetting(tx: TenantScope, setting: RetentionSetting, updatedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO stt_retention (singleton, enabled, days, updated_by) VALUES (true, $1, $2, $3)
       ON CONFLICT (singleton) DO UPDATE SET enabled = EXCLUDED.enabled, days = EXCLUDED.days,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [setting.enabled, setting.days, updatedBy],
    );
  }

  async keptFiles(tx: TenantScope): Promise<number> {
    const rows = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM stt_audio`);
    return rows[0]?.n ?? 0;
  }

  /** Keeps one upload, if the setting is on (read in the same transaction); answers whether it did. */
  async keepIfEnabled(tx: TenantScope, upload: { usageId: string; format: string; audio: Buffer }): Promise<boolean> {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO stt_audio (id, usage_id, format, audio, bytes)
       SELECT $1, $2, $3, $4, $5 FROM stt_retention WHERE enabled
       RETURNING id`,
      [randomUUID(), upload.usageId, upload.format, upload.audio, upload.audio.length],
    );
    return rows.length > 0;
  }

  /** Deletes what the setting no longer allows: everything when off, else what is older than its days. */
  async purge(tx: TenantScope, now: Date): Promise<number> {
    const rows = await tx.query<unknown>(
      `DELETE FROM stt_audio a
        WHERE NOT EXISTS (SELECT 1 FROM stt_retention r WHERE r.enabled)
           OR a.created_at <= $1::timestamptz - make_interval(days => (SELECT days FROM stt_retention))
       RETURNING id`,
      [now.toISOString()],
    );
    // The driver answers a DELETE … RETURNING as [rows, count].
    const deleted = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
    return deleted.length;
  }
}
