import { z } from 'zod';
import { planIdSchema, uuidSchema } from '@parley/contracts';
import { ROLES, type Principal } from './principal';

const id = z.string().min(1).max(128);

/**
 * The claims the gateway needs beyond iss/aud/exp/nbf/iat, which jose checks. `tid` must be a
 * lowercase UUID: it becomes the tenant of everything the request does.
 */
export const accessTokenClaimsSchema = z.object({
  sub: id,
  tid: uuidSchema,
  role: z.enum(ROLES),
  sid: id,
  plan: planIdSchema,
  jti: id,
});

/** The principal of a verified token, or null when its claims are not ours. */
export function principalFromClaims(payload: unknown): Principal | null {
  const parsed = accessTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) return null;
  const { sub, tid, role, sid, plan } = parsed.data;
  return { kind: 'user', tenantId: tid, userId: sub, role, plan, sessionId: sid };
}
