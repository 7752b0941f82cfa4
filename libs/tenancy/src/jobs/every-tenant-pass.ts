import type { DataSource } from 'typeorm';
import { RepeatingPass, type Logger } from '@parley/observability';

/**
 * A repeating pass over every tenant that has a schema (not purged), one tenant at a time, every
 * `intervalMs` after the last pass ended (0: never by itself). A failing tenant is logged and the
 * others go on; on shutdown no new pass starts and the one under way finishes.
 */
export abstract class EveryTenantPass extends RepeatingPass {
  protected constructor(
    private readonly dataSource: DataSource,
    intervalMs: number,
    logger: Logger,
    /** What the pass does, for its log lines ("Audio purge"). */
    private readonly what: string,
  ) {
    super(intervalMs, logger, `${what} pass failed`);
  }

  /** One tenant's share of a pass; how many items it removed or handled. */
  protected abstract forTenant(tenantId: string, now: Date): Promise<number>;

  protected pass(): Promise<unknown> {
    return this.runOnce();
  }

  /** One pass over every tenant; the count per tenant (those with any). */
  async runOnce(now: Date = new Date()): Promise<Record<string, number>> {
    const tenants = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM control.tenants WHERE purged_at IS NULL ORDER BY id',
    );
    const counts: Record<string, number> = {};
    for (const { id } of tenants) {
      try {
        const n = await this.forTenant(id, now);
        if (n > 0) counts[id] = n;
      } catch (error) {
        this.logger.warn({ err: error, tenantId: id }, `${this.what} failed for a tenant; the next pass retries`);
      }
    }
    return counts;
  }
}
