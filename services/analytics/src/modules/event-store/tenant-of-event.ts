import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext } from '@parley/tenancy';

/**
 * The tenant a consumed event is written for: the message's `x-tenant-id` (set by our producers)
 * and its payload must name the same tenant. A mismatch is refused (the message dead-letters with
 * the reason) rather than written into either schema.
 */
export function tenantOfEvent(payloadTenantId: string): string {
  const tenantId = TenantContext.require();
  if (tenantId !== payloadTenantId) {
    throw new DomainException(ErrorCode.ValidationFailed, 'The event names another tenant than its message header');
  }
  return tenantId;
}
