export { ErrorCode, ERROR_HTTP_STATUS, isErrorCode } from './errors/error-code';
export { DomainException, RetryLaterException, type ErrorBody } from './errors/domain.exception';
export { API_KEY_SCOPES, ALL_SCOPES, hasScope, isApiKeyScope, type ApiKeyScope } from './auth/api-key-scopes';
export { ROLES, roleSchema, type Role } from './auth/roles';
export {
  switchOrganizationBodySchema,
  type MembershipView,
  type SwitchOrganizationBody,
} from './auth/organization-switch';
export {
  SSO_PUBLIC_PREFIX,
  SSO_SERVICE_PREFIX,
  SSO_SAML_ROUTES,
  SSO_OIDC_ROUTES,
  SSO_LDAP_ROUTES,
  SSO_ADMIN_ROUTES,
  SSO_PROTOCOLS,
  SSO_LIMITS,
  SSO_REJECTION_REASONS,
  SSO_TEST_RESULT_PATH,
  SSO_SIGNED_OUT_PATH,
  ssoProtocolSchema,
  samlIdpSettingsSchema,
  attributeMappingSchema,
  groupRoleSchema,
  samlConnectionInputSchema,
  type SsoProtocol,
  type SamlIdpSettings,
  type AttributeMapping,
  type SamlConnectionInput,
  type SamlConnectionView,
  type SsoRejectionReason,
  type SsoTraceStep,
  type SsoLoginTrace,
  type SsoTestLoginResult,
} from './auth/sso';
export {
  INTERNAL_PRINCIPAL_HEADER,
  SERVICE_CREDENTIAL_HEADER,
  INTERNAL_TOKEN_ISSUER,
  INTERNAL_PRINCIPAL_AUDIENCE,
  SERVICE_CREDENTIAL_AUDIENCE,
  INTERNAL_TOKEN_TTL_SECONDS,
  internalPrincipalClaimsSchema,
  principalKindSchema,
  type InternalPrincipalClaims,
} from './auth/internal-principal';
export {
  SESSION_REVOKED_CHANNEL,
  revokedSessionKey,
  sessionRevokedMessageSchema,
  type SessionRevokedMessage,
} from './auth/session-revocation';
export {
  MEMBERSHIP_ROLE_PATH,
  membershipRoleQuerySchema,
  membershipRoleAnswerSchema,
  type MembershipRoleQuery,
} from './auth/membership-role';
export {
  AuthMembershipChangedV1,
  authMembershipChangedV1Schema,
} from './topics/auth-membership-changed/auth-membership-changed.topic';
export { BusHeader, type BusHeaderName } from './bus/headers';
export {
  TOPIC_NAME_PATTERN,
  defineCommand,
  defineEvent,
  type CommandTopic,
  type EventTopic,
  type MessageOf,
  type ReplyOf,
  type TopicDefinition,
} from './bus/topic-definition';
export { replyEnvelopeSchema, replyTopicName, type ReplyEnvelope } from './bus/reply-envelope';
export { uuidSchema, slugSchema, planIdSchema, deploymentModeSchema, isoDateSchema } from './topics/common.schema';
export { TenantCreatedV1, tenantCreatedV1Schema } from './topics/tenant-created/tenant-created.topic';
export { TenantCreateV1, createTenantV1Schema } from './topics/tenant-create/tenant-create.topic';
export { TenantCreateV2, createTenantV2Schema } from './topics/tenant-create/tenant-create-v2.topic';
export {
  TenantSignupAbandonedV1,
  signupAbandonReasonSchema,
  tenantSignupAbandonedV1Schema,
} from './topics/tenant-signup-abandoned/tenant-signup-abandoned.topic';
export {
  TenantGetV1,
  getTenantV1Schema,
  tenantStatusSchema,
  tenantViewV1Schema,
} from './topics/tenant-get/tenant-get.topic';
export { TenantGetDefaultV1, getDefaultTenantV1Schema } from './topics/tenant-get-default/tenant-get-default.topic';
export { TenantPlanChangedV1, tenantPlanChangedV1Schema } from './topics/tenant-plan-changed/tenant-plan-changed.topic';
export {
  TenantFeaturesChangedV1,
  featureNameSchema,
  tenantFeaturesChangedV1Schema,
} from './topics/tenant-features-changed/tenant-features-changed.topic';
export { TenantSuspendedV1, tenantSuspendedV1Schema } from './topics/tenant-suspended/tenant-suspended.topic';
export { TenantResumedV1, tenantResumedV1Schema } from './topics/tenant-resumed/tenant-resumed.topic';
export { TenantDeletedV1, tenantDeletedV1Schema } from './topics/tenant-deleted/tenant-deleted.topic';
export { TenantRestoredV1, tenantRestoredV1Schema } from './topics/tenant-restored/tenant-restored.topic';
export { TenantPurgedV1, tenantPurgedV1Schema } from './topics/tenant-purged/tenant-purged.topic';
export {
  ChatMessageCompletedV1,
  assistantMessageStatusSchema,
  chatMessageCompletedV1Schema,
} from './topics/chat-message-completed/chat-message-completed.topic';
export { UsageRecordedV1, usageKindSchema, usageRecordedV1Schema } from './topics/usage-recorded/usage-recorded.topic';
export * from './chat/chat-stream-event';
export { InternalHeader } from './chat/internal-headers';
export { GEN_AI_TRACE_CONTENT_FLAG } from './chat/gen-ai-trace';
export { DEAD_LETTER_TOPIC } from './topics/dead-letter/dead-letter.topic';
export { ALL_TOPICS } from './topics/registry';
export { SseParser, SseLineTooLongError, MAX_SSE_LINE_CHARS, type SseEvent } from './sse/sse-parser';
export {
  chatModelSchema,
  chatModelListSchema,
  type ChatModel,
  type ChatModelList,
} from './chat/http/chat-models.schema';
export { parseInput } from './http/parse-input';
export {
  parseUpstreamKeyInput,
  type UpstreamKeyBody,
  type UpstreamKeyInput,
  upstreamKeyBodySchema,
} from './http/upstream-key-input';
export {
  CONVERSATION_PAGE_MAX,
  CONVERSATION_SEARCH_MAX_CHARS,
  conversationSchema,
  conversationMatchSchema,
  conversationPageSchema,
  listConversationsQuerySchema,
  snippetSegmentSchema,
  regenerateBodySchema,
  updateConversationBodySchema,
  type Conversation,
  type ConversationMatch,
  type ListConversationsQuery,
  type SnippetSegment,
  type UpdateConversationBody,
} from './chat/http/conversation.schema';
export {
  FEEDBACK_COMMENT_MAX_CHARS,
  feedbackRatingSchema,
  messageFeedbackBodySchema,
  messageFeedbackSchema,
  type FeedbackRating,
  type MessageFeedback,
  type MessageFeedbackBody,
} from './chat/http/message-feedback.schema';
export * from './http/public-api';
export {
  LDAP_MAX_TIMEOUT_MS,
  ldapSettingsSchema,
  ldapSettingsInputSchema,
  ldapSignInBodySchema,
  ldapTestBodySchema,
  type LdapSignInBody,
  type LdapTestBody,
  type LdapSettings,
  type LdapSettingsView,
  type LdapCheck,
  type LdapIdentity,
  type LdapTestResult,
} from './auth/sso-ldap';
export {
  OIDC_PRESETS,
  OIDC_PRESET_IDS,
  OIDC_ALGORITHMS,
  OIDC_LIMITS,
  oidcSettingsInputSchema,
  type OidcPreset,
  type OidcAlgorithm,
  type OidcSettingsInput,
  type OidcSettingsView,
} from './auth/sso-oidc';
export {
  oidcConnectionInputSchema,
  ldapConnectionInputSchema,
  ssoConnectionInputSchema,
  type OidcConnectionInput,
  type LdapConnectionInput,
  type SsoConnectionInput,
  type OidcConnectionView,
  type LdapConnectionView,
  type SsoConnectionView,
} from './auth/sso-connection';
export {
  SCIM_PUBLIC_PREFIX,
  SCIM_CONTENT_TYPE,
  SCIM_TOKEN_PREFIX,
  SCIM_LIMITS,
  ScimSchema,
  scimBoolean,
  scimUserInputSchema,
  scimGroupInputSchema,
  scimMemberRefSchema,
  scimPatchOperationSchema,
  scimPatchSchema,
  scimSettingsSchema,
  type ScimUserInput,
  type ScimGroupInput,
  type ScimPatchOperation,
  type ScimSettings,
} from './auth/scim';
export {
  ADMIN_MAILBOXES,
  claimDomainBodySchema,
  confirmDomainBodySchema,
  domainConfirmedSchema,
  domainListSchema,
  domainMailBodySchema,
  domainViewSchema,
  scimDirectoryViewSchema,
  type AdminMailbox,
  type DomainView,
  type ScimDirectoryView,
} from './auth/domains';
export * from './http/routes/index';
export * from './auth/http/auth-api.schema';
export * from './chat/http/chat-api.schema';
export { discoverSignInBodySchema, signInDiscoverySchema, type SignInDiscovery } from './auth/sign-in-discovery';
export {
  SOCIAL_PROVIDERS,
  SOCIAL_PROVIDER_NAMES,
  SOCIAL_ROUTES,
  SOCIAL_STATE_TTL_SECONDS,
  socialProviderSchema,
  socialProvidersViewSchema,
  type SocialProvider,
  type SocialProvidersView,
} from './auth/social-sign-in';
export {
  MAX_BREAK_GLASS_OWNERS,
  ssoPolicyBodySchema,
  ssoPolicyViewSchema,
  type SsoPolicyBody,
  type SsoPolicyView,
} from './auth/sso-policy';
export {
  BillingSubscriptionChangedV1,
  billingSubscriptionChangedV1Schema,
} from './topics/billing-subscription-changed/billing-subscription-changed.topic';
export {
  BILLING_NOTICE_KINDS,
  BillingNoticeV1,
  billingNoticeKindSchema,
  billingNoticeV1Schema,
  type BillingNotice,
  type BillingNoticeKind,
} from './topics/billing-notice/billing-notice.topic';
export * from './billing/billing-vocabulary';
export * from './billing/billing-api.schema';
export * from './billing/billing-gate';
export * from './billing/budget-reservation-lua';
export * from './analytics/http/usage-api.schema';
export * from './audit/audit-actions';
export {
  AuditActionRecordedV1,
  auditActionRecordedV1Schema,
} from './topics/audit-action-recorded/audit-action-recorded.topic';
export * from './audit/http/audit-api.schema';
export * from './analytics/http/consent-api.schema';
export { AuthSignedInV1, authSignedInV1Schema } from './topics/auth-signed-in/auth-signed-in.topic';
export { AuthSignedUpV1, authSignedUpV1Schema } from './topics/auth-signed-up/auth-signed-up.topic';
export {
  STT_RESPONSE_FORMATS,
  STT_UPLOAD_FORMATS,
  STT_UPSTREAM_KINDS,
  putSttRetentionBodySchema,
  putSttUpstreamBodySchema,
  sttRetentionSchema,
  type SttRetentionView,
  sttUpstreamListSchema,
  sttUpstreamSchema,
  type PutSttUpstreamBody,
  type SttUpstreamKind,
  type SttUpstreamView,
  transcriptionFormSchema,
  transcriptSegmentSchema,
  transcriptionSchema,
  transcriptionTextSchema,
  type SttResponseFormat,
  type SttUploadFormat,
  type TranscriptionForm,
  type TranscriptSegment,
  type Transcription,
} from './stt/stt-api.schema';
export {
  STT_STREAM_LIMITS,
  STT_STREAM_ERROR_CODES,
  sttStartSchema,
  sttStopSchema,
  sttAbortSchema,
  sttClientMessageSchema,
  sttStartedSchema,
  sttPartialSchema,
  sttFinalSchema,
  sttErrorSchema,
  sttStoppedSchema,
  type SttStart,
  type SttClientMessage,
  type SttServerMessage,
} from './stt/stt-stream';
