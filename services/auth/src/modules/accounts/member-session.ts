import type { EntityManager } from 'typeorm';
import type { PlanId } from '../access-tokens/access-token.claims';
import type { SessionIssuer, TokenPair } from '../sessions/session-issuer';
import type { MembershipRecord } from './accounts.repository';

/** The answer of sign-up, sign-in and invite acceptance: who, in which tenant, and the tokens. */
export interface SignedIn extends TokenPair {
  user: { id: string; email: string; name: string };
  tenant: { id: string; slug: string; name: string; plan: PlanId };
}

/** Opens a session for a user in one of their tenants, inside the caller's transaction. */
export async function openMemberSession(
  sessions: SessionIssuer,
  manager: EntityManager,
  user: { id: string; email: string; name: string },
  membership: MembershipRecord,
  sessionId?: string,
): Promise<SignedIn> {
  const tokens = await sessions.open(
    manager,
    { userId: user.id, tenantId: membership.tenantId, role: membership.role, plan: membership.plan },
    sessionId,
  );
  return {
    user: { id: user.id, email: user.email, name: user.name },
    tenant: { id: membership.tenantId, slug: membership.slug, name: membership.name, plan: membership.plan },
    ...tokens,
  };
}
