import { DomainException, ErrorCode } from '@parley/contracts';
import { isTenantAdmin, type AnalyticsPrincipal } from '../principal/analytics-principal';

/** The audit log is the owners' and admins' (403 `forbidden` for anyone else, API keys included). */
export function assertMayReadAudit(principal: AnalyticsPrincipal): void {
  if (!isTenantAdmin(principal)) {
    throw new DomainException(ErrorCode.Forbidden, 'Only owners and admins read the audit log');
  }
}
