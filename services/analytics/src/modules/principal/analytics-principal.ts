import type { Request } from 'express';
import type { InternalPrincipalClaims, Role } from '@parley/contracts';

/**
 * The caller as the gateway verified it, from the signed principal token (never from a header the
 * client wrote). The role is the member's current role, read by the gateway for this request.
 */
export interface AnalyticsPrincipal {
  kind: InternalPrincipalClaims['knd'];
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  role: Role;
}

export function principalFromClaims(claims: InternalPrincipalClaims): AnalyticsPrincipal {
  return {
    kind: claims.knd,
    tenantId: claims.tid,
    userId: claims.knd === 'user' ? (claims.uid ?? null) : null,
    apiKeyId: claims.knd === 'api-key' ? (claims.akid ?? null) : null,
    role: claims.role,
  };
}

/** Owners and admins read the tenant's analytics and audit log; API keys never do (they act, they do not administer). */
export function isTenantAdmin(principal: AnalyticsPrincipal): boolean {
  return principal.kind !== 'api-key' && (principal.role === 'owner' || principal.role === 'admin');
}

export type PrincipalRequest = Request & { principal?: AnalyticsPrincipal };
