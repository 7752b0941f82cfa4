import type { Request } from 'express';
import type { z } from 'zod';
import type { InternalPrincipalClaims, planIdSchema, principalKindSchema } from '@parley/contracts';

/** The caller as the gateway verified it (the signed principal token), never the body or a client header. */
export interface SttPrincipal {
  kind: z.infer<typeof principalKindSchema>;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
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
    plan: claims.plan,
    scopes: apiKey ? (claims.scp ?? []) : [],
  };
}

export type PrincipalRequest = Request & { principal?: SttPrincipal };
