/**
 * The public HTTP API's response and request shapes as the web app (and any typed client) reads
 * them: inferred from the zod schemas of the route table (`http/routes`), never written twice.
 */

import type { z } from 'zod';
import type {
  acceptInviteBodySchema,
  apiKeyViewSchema,
  createdApiKeySchema,
  inviteViewSchema,
  memberViewSchema,
  sessionTenantSchema,
  sessionUserSchema,
  signedInResponseSchema,
  signInBodySchema,
  signUpBodySchema,
  tokenResponseSchema,
} from '../auth/http/auth-api.schema';
import type { Role } from '../auth/roles';
import type {
  chatProviderSchema,
  chatQuotaSchema,
  chatStatsSchema,
  createSkillBodySchema,
  messageSchema,
  skillSchema,
} from '../chat/http/chat-api.schema';
import type { conversationSchema } from '../chat/http/conversation.schema';

import type { ConversationMatch } from '../chat/http/conversation.schema';

export type { ConversationMatch };

/** Roles that may open the admin console (members, invites, API keys, provider keys, usage). */
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];

/** The name of the request header that asks the gateway to keep the refresh token in a cookie. */
export const SESSION_COOKIE_HEADER = 'x-parley-session';
/** Its only value. */
export const SESSION_COOKIE_MODE = 'cookie';
/** The refresh cookie, httpOnly, SameSite=Strict, path limited to the auth routes. */
export const REFRESH_COOKIE_NAME = 'parley_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export type SessionUser = z.infer<typeof sessionUserSchema>;
export type SessionTenant = z.infer<typeof sessionTenantSchema>;
/** Sign-up, sign-in, invite acceptance and refresh. In cookie mode `refreshToken` is absent. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type SignedInResponse = z.infer<typeof signedInResponseSchema>;
export type SignUpRequest = z.input<typeof signUpBodySchema>;
export type SignInRequest = z.input<typeof signInBodySchema>;
export type AcceptInviteRequest = z.input<typeof acceptInviteBodySchema>;

/** `GET /api/v1/me` (gateway-local: the verified principal). */
export interface MeResponse {
  tenantId: string;
  userId: string | null;
  role: Role | null;
  kind?: string;
  [field: string]: unknown;
}

export type MemberView = z.infer<typeof memberViewSchema>;
export type InviteView = z.infer<typeof inviteViewSchema>;
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;
/** Only the answer of creation carries the secret, once. */
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
export type ConversationView = z.infer<typeof conversationSchema> & {
  /** Only in search results (`?q=`): why it matched. */
  match?: ConversationMatch;
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type MessageView = z.infer<typeof messageSchema>;
export type SkillView = z.infer<typeof skillSchema>;
/** `POST /api/v1/skills` (and `PATCH`, any of the fields; `description`/`model` null to clear). */
export type SkillInput = z.input<typeof createSkillBodySchema>;

/** `GET /api/v1/tenant` (gateway-local): the caller's organisation, as the tenant service holds it. */
export interface TenantView {
  tenantId: string;
  name: string;
  slug: string;
  plan: string;
  deploymentMode: string;
  schemaName: string;
  createdAt: string;
  status: string;
  schemaVersion: string | null;
}
export type ChatProviderView = z.infer<typeof chatProviderSchema>;
export type ChatStatsView = z.infer<typeof chatStatsSchema>;
export type ChatStatsDay = ChatStatsView['days'][number];
export type ChatQuotaView = z.infer<typeof chatQuotaSchema>;

/** Every HTTP error: `{ "error": { "code", "message", "requestId" } }`. */
export interface ProblemBody {
  error: { code: string; message: string; requestId?: string; [detail: string]: unknown };
}
