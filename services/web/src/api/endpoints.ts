import type {
  SignedOut,
  AcceptInviteRequest,
  ChatModelList,
  FeedbackRating,
  MessageFeedback,
  SkillInput,
  UpdateConversationBody,
  ApiKeyView,
  ChatProviderView,
  SttRetentionView,
  SttUpstreamView,
  ChatQuotaView,
  ChatStatsView,
  ConversationView,
  CreatedApiKey,
  InviteView,
  MeResponse,
  MembershipView,
  MemberView,
  MessageView,
  Page,
  Role,
  SignedInResponse,
  SignInRequest,
  SignUpRequest,
  SkillView,
  TenantView,
} from '@parley/contracts';
import { api } from './client';

/** Every route the app calls, typed by the shapes in @parley/contracts. */
export const authApi = {
  signUp: (body: SignUpRequest) => api.post<SignedInResponse>('/api/v1/auth/sign-up', body, { auth: false }),
  signIn: (body: SignInRequest) => api.post<SignedInResponse>('/api/v1/auth/sign-in', body, { auth: false }),
  acceptInvite: (body: AcceptInviteRequest) =>
    api.post<SignedInResponse>('/api/v1/auth/invites/accept', body, { auth: false }),
  requestReset: (email: string) => api.post<void>('/api/v1/auth/password-reset', { email }, { auth: false }),
  confirmReset: (token: string, password: string) =>
    api.post<void>('/api/v1/auth/password-reset/confirm', { token, password }, { auth: false }),
  /** Nothing, or where the browser goes next (the IdP's single logout) for a SAML session. */
  signOut: () => api.post<SignedOut | undefined>('/api/v1/auth/sign-out'),
  me: () => api.get<MeResponse>('/api/v1/me'),
  memberships: () => api.get<{ memberships: MembershipView[] }>('/api/v1/auth/memberships'),
  switchOrganization: (tenantSlug: string) =>
    api.post<SignedInResponse>('/api/v1/auth/switch-organization', { tenantSlug }),
};

export const chatApi = {
  conversations: (cursor?: string) =>
    api.get<Page<ConversationView>>(`/api/v1/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  createConversation: (title?: string) => api.post<ConversationView>('/api/v1/conversations', title ? { title } : {}),
  /** Full-text search over the person's own conversations and messages, best match first. */
  searchConversations: (q: string, signal?: AbortSignal) =>
    api.get<Page<ConversationView>>(`/api/v1/conversations?q=${encodeURIComponent(q)}&limit=20`, { signal }),
  updateConversation: (id: string, body: UpdateConversationBody) =>
    api.patch<ConversationView>(`/api/v1/conversations/${id}`, body),
  deleteConversation: (id: string) => api.delete<void>(`/api/v1/conversations/${id}`),
  feedback: (messageId: string, rating: FeedbackRating, comment: string | null) =>
    api.post<MessageFeedback>(`/api/v1/messages/${messageId}/feedback`, { rating, comment }),
  models: () => api.get<ChatModelList>('/api/v1/chat/models'),
  messages: (id: string) => api.get<Page<MessageView>>(`/api/v1/conversations/${id}/messages?limit=100`),
  stop: (id: string) => api.post<{ stopped: boolean }>(`/api/v1/conversations/${id}/stop`),
  skills: () => api.get<{ items: SkillView[] }>('/api/v1/skills'),
  createSkill: (body: SkillInput) => api.post<SkillView>('/api/v1/skills', body),
  updateSkill: (id: string, body: Partial<SkillInput>) => api.patch<SkillView>(`/api/v1/skills/${id}`, body),
  deleteSkill: (id: string) => api.delete<void>(`/api/v1/skills/${id}`),
};

export const adminApi = {
  members: () => api.get<{ members: MemberView[] }>('/api/v1/auth/members'),
  changeRole: (userId: string, role: Role) => api.patch<MemberView>(`/api/v1/auth/members/${userId}`, { role }),
  removeMember: (userId: string) => api.delete<void>(`/api/v1/auth/members/${userId}`),
  invites: () => api.get<{ invites: InviteView[] }>('/api/v1/auth/invites'),
  invite: (email: string, role: Role) => api.post<InviteView>('/api/v1/auth/invites', { email, role }),
  revokeInvite: (id: string) => api.delete<void>(`/api/v1/auth/invites/${id}`),
  apiKeys: () => api.get<{ apiKeys: ApiKeyView[] }>('/api/v1/auth/api-keys'),
  createApiKey: (name: string, scopes: string[]) => api.post<CreatedApiKey>('/api/v1/auth/api-keys', { name, scopes }),
  revokeApiKey: (id: string) => api.delete<void>(`/api/v1/auth/api-keys/${id}`),
  providers: () => api.get<{ items: ChatProviderView[] }>('/api/v1/chat/providers'),
  setProvider: (kind: string, body: { apiKey: string; model: string; baseUrl?: string }) =>
    api.put<ChatProviderView>(`/api/v1/chat/providers/${kind}`, body),
  clearProvider: (kind: string) => api.delete<void>(`/api/v1/chat/providers/${kind}`),
  sttUpstreams: () => api.get<{ items: SttUpstreamView[] }>('/api/v1/stt/upstreams'),
  setSttUpstream: (kind: string, body: { apiKey: string; model: string; baseUrl?: string }) =>
    api.put<SttUpstreamView>(`/api/v1/stt/upstreams/${kind}`, body),
  clearSttUpstream: (kind: string) => api.delete<void>(`/api/v1/stt/upstreams/${kind}`),
  sttRetention: () => api.get<SttRetentionView>('/api/v1/stt/retention'),
  setSttRetention: (body: { enabled: boolean; days: number }) =>
    api.put<SttRetentionView>('/api/v1/stt/retention', body),
  stats: () => api.get<ChatStatsView>('/api/v1/chat/stats'),
  quota: () => api.get<ChatQuotaView>('/api/v1/chat/quota'),
  tenant: () => api.get<TenantView>('/api/v1/tenant'),
};
