import type { TopicDefinition } from '../bus/topic-definition';
import { TenantCreateV1 } from './tenant-create/tenant-create.topic';
import { TenantCreateV2 } from './tenant-create/tenant-create-v2.topic';
import { TenantSignupAbandonedV1 } from './tenant-signup-abandoned/tenant-signup-abandoned.topic';
import { TenantCreatedV1 } from './tenant-created/tenant-created.topic';
import { TenantGetDefaultV1 } from './tenant-get-default/tenant-get-default.topic';
import { TenantGetV1 } from './tenant-get/tenant-get.topic';
import { TenantPlanChangedV1 } from './tenant-plan-changed/tenant-plan-changed.topic';
import { TenantFeaturesChangedV1 } from './tenant-features-changed/tenant-features-changed.topic';
import { TenantSuspendedV1 } from './tenant-suspended/tenant-suspended.topic';
import { TenantResumedV1 } from './tenant-resumed/tenant-resumed.topic';
import { TenantDeletedV1 } from './tenant-deleted/tenant-deleted.topic';
import { TenantRestoredV1 } from './tenant-restored/tenant-restored.topic';
import { TenantPurgedV1 } from './tenant-purged/tenant-purged.topic';
import { ChatMessageCompletedV1 } from './chat-message-completed/chat-message-completed.topic';
import { AuthMembershipChangedV1 } from './auth-membership-changed/auth-membership-changed.topic';
import { UsageRecordedV1 } from './usage-recorded/usage-recorded.topic';
import { BillingSubscriptionChangedV1 } from './billing-subscription-changed/billing-subscription-changed.topic';
import { BillingNoticeV1 } from './billing-notice/billing-notice.topic';
import { AuditActionRecordedV1 } from './audit-action-recorded/audit-action-recorded.topic';
import { AuthSignedInV1 } from './auth-signed-in/auth-signed-in.topic';
import { AuthSignedUpV1 } from './auth-signed-up/auth-signed-up.topic';

/** Every published topic of the platform, for docs and for topic creation. */
export const ALL_TOPICS: readonly TopicDefinition[] = [
  TenantCreatedV1,
  TenantCreateV1,
  TenantCreateV2,
  TenantSignupAbandonedV1,
  TenantGetV1,
  TenantGetDefaultV1,
  TenantPlanChangedV1,
  TenantFeaturesChangedV1,
  TenantSuspendedV1,
  TenantResumedV1,
  TenantDeletedV1,
  TenantRestoredV1,
  TenantPurgedV1,
  ChatMessageCompletedV1,
  UsageRecordedV1,
  AuthMembershipChangedV1,
  BillingSubscriptionChangedV1,
  BillingNoticeV1,
  AuditActionRecordedV1,
  AuthSignedInV1,
  AuthSignedUpV1,
];
