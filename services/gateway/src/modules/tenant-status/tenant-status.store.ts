import type { Redis } from 'ioredis';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { PURGED_STATUS_TTL_SECONDS, TENANT_STATUSES_SEEDED_KEY, tenantStatusKey } from '@parley/tenancy';

export const TENANT_STATUSES = ['active', 'suspended', 'deleted', 'purged'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** How long a replica reuses a status it read from Redis: a suspension reaches it within this. */
export const TENANT_STATUS_CACHE_MS = 2000;
const CACHE_MAX = 10_000;

/**
 * The tenant's lifecycle status as the gateway knows it from the tenant events, in Redis
 * (`<tenantId>:tenant:status`, shared by every replica; no key: active) with a short in-process
 * cache. "No key" only means active while the tenant service's seeded marker is there: a Redis that
 * restarted empty has lost every suspension, so until the tenant service has rebuilt them from
 * `control.tenants` a read fails closed (503 `service_unavailable`, retryable). Redis unreachable:
 * the last status this replica knew is kept (or `active`) and the failure logged; the next read
 * tries Redis again.
 */
export class TenantStatusStore {
  private readonly cache = new Map<string, { status: TenantStatus; until: number }>();

  /** `reader` fails fast (request path); `writer` is the shared connection, which rides out blips. */
  constructor(
    private readonly reader: Redis,
    private readonly writer: Redis,
    private readonly logger: Logger,
  ) {}

  /** The status this replica read less than TENANT_STATUS_CACHE_MS ago, else undefined (no Redis call). */
  peek(tenantId: string): TenantStatus | undefined {
    const known = this.cache.get(tenantId);
    return known && known.until > Date.now() ? known.status : undefined;
  }

  async get(tenantId: string): Promise<TenantStatus> {
    const known = this.cache.get(tenantId);
    if (known && known.until > Date.now()) return known.status;
    let value: string | null | undefined;
    let seeded: string | null | undefined;
    try {
      [value, seeded] = await this.reader.mget(tenantStatusKey(tenantId), TENANT_STATUSES_SEEDED_KEY);
    } catch (error) {
      this.logger.warn({ err: error, tenantId }, 'Tenant status unavailable: using the last known one');
      return known?.status ?? 'active';
    }
    const status = parseStatus(value ?? null);
    if (status === 'active' && !seeded) {
      this.logger.warn({ tenantId }, 'Tenant statuses not rebuilt in Redis yet: refusing until they are');
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'Tenant statuses are being rebuilt; retry shortly',
        { dependency: 'redis' },
        true,
      );
    }
    this.remember(tenantId, status);
    return status;
  }

  async set(tenantId: string, status: TenantStatus): Promise<void> {
    const key = tenantStatusKey(tenantId);
    if (status === 'active') await this.writer.del(key);
    else if (status === 'purged') await this.writer.set(key, status, 'EX', PURGED_STATUS_TTL_SECONDS);
    else await this.writer.set(key, status);
    this.remember(tenantId, status);
  }

  private remember(tenantId: string, status: TenantStatus): void {
    this.cache.delete(tenantId);
    while (this.cache.size >= CACHE_MAX) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    this.cache.set(tenantId, { status, until: Date.now() + TENANT_STATUS_CACHE_MS });
  }
}

/** Anything unknown in Redis counts as active: only the values this store writes mean anything. */
export function parseStatus(value: string | null): TenantStatus {
  return (TENANT_STATUSES as readonly string[]).includes(value ?? '') ? (value as TenantStatus) : 'active';
}
