import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE } from '@parley/tenancy';

/** Rows deleted per statement, and statements per pass: a pass is bounded whatever the backlog. */
const PRUNE_BATCH = 1000;
const PRUNE_MAX_STATEMENTS = 20;

/**
 * Deletes the settled rows of `control.tenant_signups` — a sign-up's tenant (`created`, the saga
 * completed) or its abandonment (`abandoned`, compensated) — whose last change is older than
 * TENANT_SIGNUPS_RETENTION_MS, in bounded batches. Within the retention a redelivered command is
 * still answered with its tenant and a late one for an abandoned sign-up still creates nothing;
 * past it, the command's deadline has long expired (it is dropped before its handler runs).
 */
@Injectable()
export class PruneTenantSignupsUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many rows went. */
  async execute(): Promise<number> {
    const retentionMs = this.config.tenant?.signupsRetentionMs;
    if (!this.dataSource.isInitialized || retentionMs === undefined) return 0;
    let total = 0;
    for (let i = 0; i < PRUNE_MAX_STATEMENTS; i++) {
      const deleted = await this.dataSource.query<[unknown[], number] | unknown[]>(
        `WITH old AS (
           SELECT signup_id FROM control.tenant_signups
           WHERE status IN ('created', 'abandoned')
             AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
           LIMIT $2)
         DELETE FROM control.tenant_signups s USING old WHERE s.signup_id = old.signup_id RETURNING s.signup_id`,
        [retentionMs, PRUNE_BATCH],
      );
      const count = Array.isArray(deleted[0]) ? (deleted as [unknown[], number])[1] : deleted.length;
      total += count;
      if (count < PRUNE_BATCH) break;
    }
    if (total > 0) this.logger.info({ pruned: total }, 'Settled sign-up rows past retention deleted');
    return total;
  }
}
