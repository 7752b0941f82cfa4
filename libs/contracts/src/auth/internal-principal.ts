import { z } from 'zod';
import { planIdSchema, uuidSchema } from '../topics/common.schema';
import { roleSchema } from './roles';

/**
 * The principal the gateway verified, as a short-lived signed token (HS256 under the internal-auth
 * secret) in the `x-parley-principal` header of every call to an internal service. Minted per
 * request; a service verifies it and trusts nothing else (no `x-tenant-id`, `x-user-id` or role
 * header). The role is the member's role as auth's data says at that request, never the access
 * token's claim.
 */
export const INTERNAL_PRINCIPAL_HEADER = 'x-parley-principal';
/** A service credential (`internal/...` routes): a signed service token, same secret, other audience. */
export const SERVICE_CREDENTIAL_HEADER = 'x-parley-service';
export const INTERNAL_TOKEN_ISSUER = 'parley-gateway';
export const INTERNAL_PRINCIPAL_AUDIENCE = 'parley-internal-principal';
export const SERVICE_CREDENTIAL_AUDIENCE = 'parley-internal-service';
/** Longest life of a principal token or a service credential. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

const SCOPE = /^[A-Za-z0-9:*._-]{1,64}$/;

export const principalKindSchema = z.enum(['user', 'anonymous', 'api-key']);

export const internalPrincipalClaimsSchema = z
  .object({
    /** Tenant. */
    tid: uuidSchema,
    knd: principalKindSchema,
    /** User id (`user`); absent otherwise. */
    uid: uuidSchema.optional(),
    /** Session id of the access token (`user`). */
    sid: z.string().min(1).max(128).optional(),
    /** API key id and its scopes (`api-key`). */
    akid: z.string().min(1).max(128).optional(),
    scp: z.array(z.string().regex(SCOPE)).max(32).optional(),
    role: roleSchema,
    plan: planIdSchema,
    /** Request id of the call that minted it. */
    rid: z.string().min(1).max(200),
    /** The client's address and user agent as the gateway saw them: where an audited action came from. */
    cip: z.string().min(1).max(64).optional(),
    cua: z.string().min(1).max(512).optional(),
  })
  .refine((c) => (c.knd === 'api-key' ? c.akid !== undefined : c.knd === 'anonymous' || c.uid !== undefined), {
    message: 'a user needs uid, an API key akid',
  });

export type InternalPrincipalClaims = z.infer<typeof internalPrincipalClaimsSchema>;
