import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { DATA_SOURCE } from '@parley/tenancy';
import { AudioRetentionRepository } from '../../audio-retention.repository';

/**
 * Every STT_AUDIO_PURGE_INTERVAL_MS (after the last pass ended): for each tenant with a schema, the
 * kept audio its setting no longer allows (older than its days, or all of it when off) is deleted.
 * A failing tenant is logged and the others go on.
 */
@Injectable()
export class AudioPurgeJob extends RepeatingPass {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly retention: AudioRetentionRepository,
    @Inject(LOGGER) logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(config.stt?.audioPurgeIntervalMs ?? 0, logger, 'Audio purge pass failed');
  }

  protected pass(): Promise<unknown> {
    return this.runOnce();
  }

  /** One pass over every tenant; how many files went per tenant (those with any). */
  async runOnce(now: Date = new Date()): Promise<Record<string, number>> {
    const tenants = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM control.tenants WHERE purged_at IS NULL ORDER BY id',
    );
    const removed: Record<string, number> = {};
    for (const { id } of tenants) {
      try {
        const n = await this.retention.transaction(id, (tx) => this.retention.purge(tx, now));
        if (n > 0) removed[id] = n;
      } catch (error) {
        this.logger.warn({ err: error, tenantId: id }, 'Audio purge failed for a tenant; the next pass retries');
      }
    }
    return removed;
  }
}
