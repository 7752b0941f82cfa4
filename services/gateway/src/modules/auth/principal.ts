import type { FastifyRequest } from 'fastify';

export const ROLES = ['owner', 'admin', 'member', 'billing'] as const;
export type Role = (typeof ROLES)[number];
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const PRINCIPAL_KINDS = ['user', 'anonymous', 'api-key'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/**
 * Who is calling, resolved only from verified credentials. `user`: an access token;
 * `anonymous`: a credential-less request in self-hosted mode with AUTH_REQUIRED=false, acting as
 * the default tenant's owner; `api-key`: a `pk_…` key verified by the auth service. An API key has
 * no user (`userId` null), its `apiKeyId` and `scopes`, and the role `member` for authorisation
 * (it can never do what only owners, admins or billing may; finer rules use its scopes).
 */
export interface Principal {
  kind: PrincipalKind;
  tenantId: string;
  userId: string | null;
  role: Role;
  plan: Plan;
  sessionId: string | null;
  /** `api-key` only. */
  apiKeyId?: string;
  /** `api-key` only: the scopes granted to the key. */
  scopes?: string[];
}

/** What the per-principal rate limit counts: the user, or the API key. */
export function principalSubject(principal: Principal): string {
  return principal.apiKeyId ?? principal.userId ?? 'unknown';
}

/** A request the auth guard let through on a non-public route. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

export function attachPrincipal(req: FastifyRequest, principal: Principal): void {
  (req as AuthenticatedRequest).principal = principal;
}

export function principalOf(req: FastifyRequest): Principal | undefined {
  return (req as Partial<AuthenticatedRequest>).principal;
}
