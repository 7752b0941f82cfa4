import { tenantKey } from '../context/schema-name';

/**
 * Where a tenant's lifecycle status lives in Redis (`<tenantId>:tenant:status`: suspended, deleted
 * or purged; no key: active). Redis is a cache of `control.tenants`, which stays the source of truth.
 */
export function tenantStatusKey(tenantId: string): string {
  return tenantKey(tenantId, 'tenant', 'status');
}

/**
 * Set (without expiry) by the tenant service once every non-active status of `control.tenants` is in
 * this Redis. A Redis that restarted empty has no marker: readers then cannot tell "no key" (active)
 * from "forgotten", so they fail closed until the tenant service has rebuilt the keys.
 */
export const TENANT_STATUSES_SEEDED_KEY = 'platform:tenant-status:seeded';

/** A purged tenant cannot come back; its marker outlives every token or cached key, then goes. */
export const PURGED_STATUS_TTL_SECONDS = 24 * 60 * 60;
