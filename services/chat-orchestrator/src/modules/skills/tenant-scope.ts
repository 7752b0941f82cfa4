import { TenantContext } from '@parley/tenancy';

/**
 * Runs tenant data access for a verified principal's tenant. Inside a request the guard has already
 * put that tenant in the context; elsewhere (a caller without a context) it is set here. A context
 * that names another tenant is a bug, and refused rather than served from the wrong schema.
 */
export function inTenant<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  const current = TenantContext.optional();
  if (current === undefined) return TenantContext.run(tenantId, work);
  if (current !== tenantId) {
    return Promise.reject(new Error('The request context and the principal name different tenants'));
  }
  return work();
}
