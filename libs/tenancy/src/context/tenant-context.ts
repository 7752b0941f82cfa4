import { DomainException, ErrorCode } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { assertTenantId, type TenantId } from './schema-name';

/**
 * The tenant of the current unit of work. It is set once, from verified credentials at the gateway
 * or from the x-tenant-id header of a consumed message (which only our services produce), and it
 * fails closed: reading it where none is set throws.
 */
export const TenantContext = {
  require(): TenantId {
    const tenantId = RequestContext.current()?.tenantId;
    if (!tenantId) {
      throw new DomainException(ErrorCode.TenantContextMissing, 'No tenant in context: tenant data access refused');
    }
    return assertTenantId(tenantId);
  },
  optional(): TenantId | undefined {
    const tenantId = RequestContext.current()?.tenantId;
    return tenantId ? assertTenantId(tenantId) : undefined;
  },
  run<T>(tenantId: string, fn: () => T): T {
    return RequestContext.with({ tenantId: assertTenantId(tenantId) }, fn);
  },
};
