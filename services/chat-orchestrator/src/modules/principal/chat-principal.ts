import type { Request } from 'express';
import { z } from 'zod';
import { InternalHeader, planIdSchema, uuidSchema } from '@parley/contracts';

export const principalKindSchema = z.enum(['user', 'anonymous', 'api-key']);
export const roleSchema = z.enum(['owner', 'admin', 'member', 'billing']);

/**
 * The caller as the gateway verified it, read from the internal headers (never from the body).
 * `ownerKind`/`ownerId` is what owns conversations and private skills: the user id for users and the
 * self-hosted anonymous owner, the key id for an API key.
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
    userId: uuidSchema.optional(),
    apiKeyId: uuidSchema.optional(),
    role: roleSchema,
    plan: planIdSchema,
    scopes: z.string().max(4096).optional(),
  })
  .refine((h) => (h.kind === 'api-key' ? h.apiKeyId !== undefined : h.userId !== undefined), {
    message: 'a user principal needs x-user-id, an API key x-api-key-id',
  });

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
    userId: apiKey ? null : (h.userId ?? null),
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
