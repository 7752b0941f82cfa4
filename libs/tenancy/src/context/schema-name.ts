import { DomainException, ErrorCode } from '@parley/contracts';

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SCHEMA_NAME = /^tenant_[0-9a-f]{32}$/;

export type TenantId = string & { readonly __brand: 'TenantId' };

export function isTenantId(value: unknown): value is TenantId {
  return typeof value === 'string' && TENANT_ID.test(value);
}

export function assertTenantId(value: unknown): TenantId {
  if (!isTenantId(value)) {
    throw new DomainException(ErrorCode.InvalidTenantId, 'Tenant id must be a lowercase UUID');
  }
  return value;
}

/** The one pure function from a tenant id to its Postgres schema name. */
export function tenantSchemaName(tenantId: string): string {
  const schema = `tenant_${assertTenantId(tenantId).replace(/-/g, '')}`;
  if (!SCHEMA_NAME.test(schema)) {
    throw new DomainException(ErrorCode.InvalidTenantId, 'Tenant schema name is invalid');
  }
  return schema;
}

export function isTenantSchemaName(value: string): boolean {
  return SCHEMA_NAME.test(value);
}

/** Redis and cache keys start with the tenant id. */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  return [assertTenantId(tenantId), ...parts].join(':');
}
