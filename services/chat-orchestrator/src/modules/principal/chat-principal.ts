import type { Request } from 'express';
import { z } from 'zod';
import { InternalHeader, planIdSchema, uuidSchema } from '@parley/contracts';

export const principalKindSchema = z.enum(['user', 'anonymous', 'api-key']);
export const roleSchema = z.enum(['owner', 'admin', 'member', 'billing']);

/**
 * The caller as the gateway verified it, read from the internal headers (never from the body).
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

const headersSchema = z
  .object({
    tenantId: uuidSchema,
    kind: principalKindSchema,
    /** A user id; the self-hosted anonymous owner (AUTH_REQUIRED=false) comes as `anonymous`. */
    userId: z.union([uuidSchema, z.literal('anonymous')]).optional(),
    apiKeyId: uuidSchema.optional(),
    role: roleSchema,
    plan: planIdSchema,
    scopes: z.string().max(4096).optional(),
  })
  .refine(
    (h) =>
      h.kind === 'api-key'
        ? h.apiKeyId !== undefined
        : h.userId !== undefined && (h.kind === 'anonymous') === (h.userId === 'anonymous'),
    { message: 'a user needs a x-user-id UUID, the anonymous owner `anonymous`, an API key x-api-key-id' },
  );

/** The principal from the internal headers, or null when they are missing or malformed. */
export function principalFromHeaders(req: Pick<Request, 'header'>): ChatPrincipal | null {
  const parsed = headersSchema.safeParse({
    tenantId: req.header(InternalHeader.TenantId),
    kind: req.header(InternalHeader.Kind),
    userId: req.header(InternalHeader.UserId),
    apiKeyId: req.header(InternalHeader.ApiKeyId),
    role: req.header(InternalHeader.Role),
    plan: req.header(InternalHeader.Plan),
    scopes: req.header(InternalHeader.Scopes),
  });
  if (!parsed.success) return null;
  const h = parsed.data;
  const apiKey = h.kind === 'api-key';
  return {
    kind: h.kind,
    tenantId: h.tenantId,
    // Only real users have a user id (events carry it as a UUID); the anonymous owner owns by name.
    userId: h.kind === 'user' ? (h.userId ?? null) : null,
    apiKeyId: apiKey ? (h.apiKeyId ?? null) : null,
    role: h.role,
    plan: h.plan,
    scopes: h.scopes ? h.scopes.split(',').filter(Boolean) : [],
    ownerKind: h.kind,
    ownerId: (apiKey ? h.apiKeyId : h.userId) as string,
  };
}

/** Owners and admins manage the tenant's shared chat settings (tenant skills, provider keys, per-user stats). */
export function isTenantAdmin(principal: ChatPrincipal): boolean {
  return principal.kind !== 'api-key' && (principal.role === 'owner' || principal.role === 'admin');
}

export type PrincipalRequest = Request & { principal?: ChatPrincipal };
