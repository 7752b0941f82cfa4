import { z } from 'zod';
import { planIdSchema, uuidSchema } from '@parley/contracts';

export const ROLES = ['owner', 'admin', 'member', 'billing'] as const;
export type Role = (typeof ROLES)[number];
export type PlanId = z.infer<typeof planIdSchema>;

/** `typ` header of our access tokens (RFC 9068), required on verification. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/** Who a token speaks for: user, tenant, role in it, session, and the tenant's plan. */
export interface AccessSubject {
  userId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  plan: PlanId;
}

export interface VerifiedAccess extends AccessSubject {
  tokenId: string;
  expiresAt: Date;
}

/** The claims beyond the registered ones (iss, aud, iat, nbf, exp, which jose checks). */
export const accessClaimsSchema = z.object({
  sub: uuidSchema,
  tid: uuidSchema,
  role: z.enum(ROLES),
  sid: uuidSchema,
  plan: planIdSchema,
  jti: uuidSchema,
  exp: z.number().int(),
});
