import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, EveryTenantPass } from '@parley/tenancy';
import { AudioRetentionRepository } from '../../audio-retention.repository';

/**
 * Every STT_AUDIO_PURGE_INTERVAL_MS (after the last pass ended): for each tenant with a schema, the
 * kept audio its setting no longer allows (older than its days, or all of it when off) is deleted.
 */
@Injectable()
export class AudioPurgeJob extends EveryTenantPass {
  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    private readonly retention: AudioRetentionRepository,
    @Inject(LOGGER) logger: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(dataSource, config.stt?.audioPurgeIntervalMs ?? 0, logger, 'Audio purge');
  }

  protected forTenant(tenantId: string, now: Date): Promise<number> {
    return this.retention.transaction(tenantId, (tx) => this.retention.purge(tx, now));
  }
}
