import type { SchemaMigration } from '../migration';
import { TenantInit0001 } from './0001-tenant-init.migration';
import { AnalyticsEvents0002 } from './0002-analytics-events.migration';
import { Chat0003 } from './0003-chat.migration';
import { ChatSearch0004 } from './0004-chat-search.migration';
import { MessageFeedback0005 } from './0005-message-feedback.migration';
import { ConversationPins0006 } from './0006-conversation-pins.migration';
import { AnalyticsStore0007 } from './0007-analytics-store.migration';
import { AuditLog0008 } from './0008-audit-log.migration';
import { AnalyticsConsent0009 } from './0009-analytics-consent.migration';
import { SttUpstreams0010 } from './0010-stt-upstreams.migration';
import { SttAudioRetention0011 } from './0011-stt-audio-retention.migration';

/** Per-tenant migrations, in order. Append only; every tenant schema runs all of them. */
export const TENANT_MIGRATIONS: readonly SchemaMigration[] = [
  new TenantInit0001(),
  new AnalyticsEvents0002(),
  new Chat0003(),
  new ChatSearch0004(),
  new MessageFeedback0005(),
  new ConversationPins0006(),
  new AnalyticsStore0007(),
  new AuditLog0008(),
  new AnalyticsConsent0009(),
  new SttUpstreams0010(),
  new SttAudioRetention0011(),
];
