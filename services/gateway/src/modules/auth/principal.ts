import type { Request } from 'express';

export const ROLES = ['owner', 'admin', 'member', 'billing'] as const;
export type Role = (typeof ROLES)[number];
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/**
 * Who is calling, resolved only from verified credentials. `user`: an access token;
 * `anonymous`: a credential-less request in self-hosted mode with AUTH_REQUIRED=false, acting as
 * the default tenant's owner. API keys will add `api-key`.
 */
export interface Principal {
  kind: 'user' | 'anonymous';
  tenantId: string;
  userId: string;
  role: Role;
  plan: Plan;
  sessionId: string | null;
}

/** A request the auth guard let through on a non-public route. */
export interface AuthenticatedRequest extends Request {
  principal: Principal;
}

export function attachPrincipal(req: Request, principal: Principal): void {
  (req as AuthenticatedRequest).principal = principal;
}

export function principalOf(req: Request): Principal | undefined {
  return (req as Partial<AuthenticatedRequest>).principal;
}
