import type { Request } from 'express';
import type { z } from 'zod';
import type { InternalPrincipalClaims, planIdSchema, principalKindSchema, roleSchema } from '@parley/contracts';

/** The caller as the gateway verified it (the signed principal token), never the body or a client header. */
export interface SttPrincipal {
  kind: z.infer<typeof principalKindSchema>;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  /** The member's role as the gateway read it for this request (never the access token's claim). */
  role: z.infer<typeof roleSchema>;
  plan: z.infer<typeof planIdSchema>;
  scopes: string[];
}

export function principalFromClaims(claims: InternalPrincipalClaims): SttPrincipal {
  const apiKey = claims.knd === 'api-key';
  return {
    kind: claims.knd,
    tenantId: claims.tid,
    userId: claims.knd === 'user' ? (claims.uid ?? null) : null,
    apiKeyId: apiKey ? (claims.akid ?? null) : null,
    role: claims.role,
    plan: claims.plan,
    scopes: apiKey ? (claims.scp ?? []) : [],
  };
}

/** Owners and admins signed in as themselves (never an API key): they manage the tenant's speech settings. */
export function isTenantAdmin(principal: SttPrincipal): boolean {
  return principal.kind !== 'api-key' && (principal.role === 'owner' || principal.role === 'admin');
}

export type PrincipalRequest = Request & { principal?: SttPrincipal };
