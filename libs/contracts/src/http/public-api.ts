/**
 * The public HTTP API's response and request shapes as the web app (and any typed client) reads them:
 * `/api/v1/auth/*` (forwarded to the auth service), `/api/v1/conversations`, `/api/v1/skills`,
 * `/api/v1/chat/*`. Types only: nothing here runs.
 */

import type { Role } from '../auth/roles';
import type { ConversationMatch } from '../chat/http/conversation.schema';
import type { FeedbackRating } from '../chat/http/message-feedback.schema';

/** Roles that may open the admin console (members, invites, API keys, provider keys, usage). */
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];

/** The name of the request header that asks the gateway to keep the refresh token in a cookie. */
export const SESSION_COOKIE_HEADER = 'x-parley-session';
/** Its only value. */
export const SESSION_COOKIE_MODE = 'cookie';
/** The refresh cookie, httpOnly, SameSite=Strict, path limited to the auth routes. */
export const REFRESH_COOKIE_NAME = 'parley_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface SessionTenant {
  id: string;
  slug: string;
  name: string;
  plan: string;
}

/** Sign-up, sign-in, invite acceptance and refresh. In cookie mode `refreshToken` is absent. */
export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface SignedInResponse extends TokenResponse {
  user: SessionUser;
  tenant: SessionTenant;
}

export interface SignUpRequest {
  organizationName: string;
  organizationSlug: string;
  email: string;
  password: string;
  name: string;
}

export interface SignInRequest {
  email: string;
  password: string;
  tenantSlug?: string;
}

export interface AcceptInviteRequest {
  token: string;
  name?: string;
  password: string;
}

/** `GET /api/v1/me`. */
export interface MeResponse {
  tenantId: string;
  userId: string | null;
  role: Role | null;
  kind?: string;
  [field: string]: unknown;
}

/** `GET /api/v1/tenant`: the caller's organisation, as the tenant service holds it. */
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

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** Only the answer of creation carries the secret, once. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface ConversationView {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  messageCount: number;
  /** Pinned conversations come first in the list. */
  pinned: boolean;
  /** Only in search results (`?q=`): why it matched. */
  match?: ConversationMatch;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MessageView {
  id: string;
  conversationId: string;
  /** `user` or `assistant`. */
  role: string;
  content: string;
  status: string;
  provider: string | null;
  model: string | null;
  skill: string | null;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  costMicros: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  completedAt: string | null;
  /** In message lists: the caller's feedback on this answer, or null. */
  feedback?: { rating: FeedbackRating; comment: string | null } | null;
}

/** `POST /api/v1/skills` (and `PATCH`, any of the fields; `description`/`model` null to clear). */
export interface SkillInput {
  name: string;
  command: string;
  description?: string | null;
  systemPrompt: string;
  model?: string | null;
  visibility: 'private' | 'tenant';
}

export interface SkillView {
  id: string;
  name: string;
  command: string;
  description: string | null;
  systemPrompt: string;
  model: string | null;
  visibility: string;
  editable: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ChatProviderView {
  kind: string;
  baseUrl: string | null;
  model: string;
  keyHint: string | null;
  priority: number;
  updatedAt: string;
}

export interface ChatStatsDay {
  date: string;
  conversations: number;
  messages: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
}

export interface ChatStatsView {
  from: string;
  to: string;
  days: ChatStatsDay[];
  users?: (Omit<ChatStatsDay, 'date'> & { kind: string; userId: string })[];
}

export interface ChatQuotaView {
  plan: string;
  tokensPerMonth: number;
  tokensUsed: number;
  resetAt: string;
  chatRequestsPerHour: number;
}

/** Every HTTP error: `{ "error": { "code", "message", "requestId" } }`. */
export interface ProblemBody {
  error: { code: string; message: string; requestId?: string; [detail: string]: unknown };
}
