import type { Request } from 'express';
import type { z } from 'zod';
import type { InternalPrincipalClaims, planIdSchema, principalKindSchema, roleSchema } from '@parley/contracts';

/**
 * The caller as the gateway verified it, read from the signed principal token (never from the
 * body or a hand-written header). The role is the member's role when the gateway minted the token
 * for this request (read from auth's memberships), never the access token's claim.
 * `ownerKind`/`ownerId` is what owns conversations and private skills: the user id for users,
 * `anonymous` for the self-hosted anonymous owner (AUTH_REQUIRED=false), the key id for an API key.
 */
export interface ChatPrincipal {
  kind: z.infer<typeof principalKindSchema>;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  role: z.infer<typeof roleSchema>;
  plan: z.infer<typeof planIdSchema>;
  scopes: string[];
  ownerKind: 'user' | 'anonymous' | 'api-key';
  ownerId: string;
}

/** The chat principal of verified principal claims. */
export function principalFromClaims(claims: InternalPrincipalClaims): ChatPrincipal {
  const apiKey = claims.knd === 'api-key';
  const user = claims.knd === 'user';
  return {
    kind: claims.knd,
    tenantId: claims.tid,
    userId: user ? (claims.uid ?? null) : null,
    apiKeyId: apiKey ? (claims.akid ?? null) : null,
    role: claims.role,
    plan: claims.plan,
    scopes: apiKey ? (claims.scp ?? []) : [],
    ownerKind: claims.knd,
    ownerId: apiKey ? (claims.akid as string) : user ? (claims.uid as string) : 'anonymous',
  };
}

/** Owners and admins manage the tenant's shared chat settings (tenant skills, provider keys, per-user stats). */
export function isTenantAdmin(principal: ChatPrincipal): boolean {
  return principal.kind !== 'api-key' && (principal.role === 'owner' || principal.role === 'admin');
}

export type PrincipalRequest = Request & { principal?: ChatPrincipal };
