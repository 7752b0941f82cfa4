import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@parley/observability';
import {
  DATA_SOURCE,
  PURGED_STATUS_TTL_SECONDS,
  REDIS,
  TENANT_STATUSES_SEEDED_KEY,
  tenantStatusKey,
} from '@parley/tenancy';

/**
 * How often each replica looks for a Redis that lost the tenant statuses (one EXISTS) without
 * reconnecting (a FLUSHALL, an eviction); a Redis that restarted is checked as soon as the client
 * is connected again (its `ready` event).
 */
export const TENANT_STATUS_SEED_CHECK_MS = 30_000;
/** After a failed check (Postgres or Redis out), the next one comes this soon. */
const TENANT_STATUS_SEED_RETRY_MS = 1000;

/**
 * `control.tenants` is the source of truth for suspensions; Redis is the gateway's copy. When the
 * seeded marker is missing (a Redis that restarted empty, or a new one), every non-active status
 * is written from Postgres and then the marker, in one MULTI: until then the gateway refuses
 * requests rather than treat a forgotten suspension as active. Replicas may seed at the same time;
 * they write the same rows. The lifecycle events keep the keys current afterwards.
 */
@Injectable()
export class TenantStatusSeedJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The first pass before the service reports ready, so a fresh Redis is seeded before traffic.
    await this.seedIfMissing().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'Tenant status seeding failed; will retry'),
    );
    this.schedule(TENANT_STATUS_SEED_CHECK_MS);
    // A Redis that restarted (empty) is seeded as soon as the client has reconnected.
    this.redis.on('ready', this.check);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.stopped) this.timer = setTimeout(this.check, delayMs);
  }

  /** One check now (unless one is under way); a failed one is retried after TENANT_STATUS_SEED_RETRY_MS. */
  private readonly check = (): void => {
    if (this.stopped || this.running) return;
    let failed = false;
    this.running = this.seedIfMissing()
      .catch((error: unknown) => {
        failed = true;
        this.logger.warn({ err: error }, 'Tenant status seeding failed; will retry');
      })
      .finally(() => {
        this.running = undefined;
        this.schedule(failed ? TENANT_STATUS_SEED_RETRY_MS : TENANT_STATUS_SEED_CHECK_MS);
      });
  };

  /** Seeds Redis from Postgres when the marker is missing; true if it did. */
  async seedIfMissing(): Promise<boolean> {
    if (!this.dataSource.isInitialized || this.redis.status !== 'ready') return false;
    if ((await this.redis.exists(TENANT_STATUSES_SEEDED_KEY)) === 1) return false;
    const rows = await this.dataSource.query<{ id: string; status: string }[]>(
      `SELECT id, CASE WHEN purged_at IS NOT NULL THEN 'purged' ELSE status END AS status
         FROM control.tenants WHERE status <> 'active'`,
    );
    const multi = this.redis.multi();
    for (const row of rows) {
      if (row.status === 'purged') multi.set(tenantStatusKey(row.id), row.status, 'EX', PURGED_STATUS_TTL_SECONDS);
      else multi.set(tenantStatusKey(row.id), row.status);
    }
    multi.set(TENANT_STATUSES_SEEDED_KEY, new Date().toISOString());
    await multi.exec();
    // warn: it only happens on a Redis that lost its data (or the very first start).
    this.logger.warn({ nonActive: rows.length }, 'Tenant statuses rebuilt in Redis from control.tenants');
    return true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.redis.off('ready', this.check);
    await this.running;
  }
}
