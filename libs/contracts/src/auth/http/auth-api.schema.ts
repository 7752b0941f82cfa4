import { z } from 'zod';
import { roleSchema } from '../roles';

/**
 * The auth service's public request and response shapes (`/api/v1/auth/*` at the gateway), as the
 * route table, the OpenAPI document and typed clients read them. The auth service validates its
 * request bodies with these same schemas (`parseInput`: 400 `validation_failed` naming each issue);
 * bodies are strict, so an unknown field is refused rather than ignored.
 */
const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase slug (a-z, 0-9, -)');
const password = z.string().min(10, 'must be 10 to 256 characters').max(256, 'must be 10 to 256 characters');
/**
 * An address as people type it: a local part (UTF-8 allowed, no spaces, quotes or brackets) and a
 * domain of labels with a top-level domain of two letters or more.
 */
const emailAddress = z
  .string()
  .max(254)
  .regex(
    /^[^\s@"<>()[\]\\,;:]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u,
    'must be an email address',
  );

export const signUpBodySchema = z.strictObject({
  organizationName: z.string().min(1).max(200),
  organizationSlug: slug,
  email: emailAddress,
  password,
  name: z.string().min(1).max(200),
});

export const signInBodySchema = z.strictObject({
  email: z.string().max(254),
  password: z.string().min(1).max(256),
  tenantSlug: slug.optional(),
});

/**
 * In cookie mode (`x-parley-session: cookie`) the body may be empty: the gateway then puts the
 * cookie's token in the body it forwards, so the auth service always receives `refreshToken`.
 */
export const refreshBodySchema = z.strictObject({ refreshToken: z.string().max(200).optional() });

export const acceptInviteBodySchema = z.strictObject({
  token: z.string().max(200),
  /** Needed when the invited email has no account yet. */
  name: z.string().min(1).max(200).optional(),
  password: z.string().min(1).max(256),
});

export const requestPasswordResetBodySchema = z.strictObject({ email: z.string().max(254) });
export const confirmPasswordResetBodySchema = z.strictObject({ token: z.string().max(200), password });

export const createInviteBodySchema = z.strictObject({ email: z.string().max(254), role: roleSchema });
export const changeMemberRoleBodySchema = z.strictObject({ role: roleSchema });
export const createApiKeyBodySchema = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.string().max(64)).min(1).max(32),
  expiresAt: z.string().max(40).optional(),
});

/** `POST /internal/api-keys/verify` (gateway → auth, service credential): the key to look up. */
export const verifyApiKeyBodySchema = z.strictObject({ key: z.string().max(200) });

export const sessionUserSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string() });
export const sessionTenantSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string(), plan: z.string() });

/** Refresh. In cookie mode `refreshToken` is absent (it is in the httpOnly cookie). */
export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
});

/**
 * Sign-out of a session opened through SAML with single logout (else 204 without a body): where the
 * browser goes next, the IdP's single logout URL with our signed LogoutRequest.
 */
export const signedOutSchema = z.strictObject({ idpLogoutUrl: z.string() });
export type SignedOut = z.infer<typeof signedOutSchema>;

/** Sign-up, sign-in, invite acceptance. */
export const signedInResponseSchema = tokenResponseSchema.extend({
  user: sessionUserSchema,
  tenant: sessionTenantSchema,
});

export const authMeSchema = z.object({
  user: sessionUserSchema,
  tenant: z.object({ id: z.uuid(), role: roleSchema }),
  sessionId: z.string(),
});

export const memberViewSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joinedAt: z.iso.datetime(),
});
export const memberListSchema = z.object({ members: z.array(memberViewSchema) });

export const inviteViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  invitedBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export const inviteListSchema = z.object({ invites: z.array(inviteViewSchema) });

export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export const apiKeyListSchema = z.object({ apiKeys: z.array(apiKeyViewSchema) });
/** Only the answer of creation carries the secret, once. */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });
