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
  /**
   * Runs tenant data access for a verified principal's tenant. Inside a request the guard has
   * already put that tenant in the context; elsewhere (a caller without a context) it is set here.
   * A context that names another tenant is a bug, and refused rather than served from the wrong schema.
   */
  within<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const current = TenantContext.optional();
    if (current === undefined) return TenantContext.run(tenantId, work);
    if (current !== tenantId) {
      return Promise.reject(new Error('The request context and the principal name different tenants'));
    }
    return work();
  },
};
