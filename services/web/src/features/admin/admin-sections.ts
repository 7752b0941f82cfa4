import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/en';
import { AuditLogPage } from '../analytics/audit-log-page';
import { UsageDashboardPage } from '../analytics/usage-dashboard-page';
import { DirectorySyncPage } from '../sso/directory-sync-page';
import { DomainsPage } from '../sso/domains-page';
import { SsoPage } from '../sso/sso-page';
import { ApiKeysPage } from './api-keys-page';
import { InvitesPage } from './invites-page';
import { MembersPage } from './members-page';
import { OrganizationPage } from './organization-page';
import { ProvidersPage } from './providers-page';
import { SpeechPage } from './speech-page';
import { UsagePage } from './usage-page';

/**
 * The admin console's pages. A later feature (single sign-on, billing, voice, analytics) adds its
 * page by adding one entry here: a path under /admin, a label from the catalogue and a component.
 */
export interface AdminSection {
  path: string;
  label: MessageKey;
  Page: ComponentType;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { path: 'members', label: 'admin.members', Page: MembersPage },
  { path: 'invites', label: 'admin.invites', Page: InvitesPage },
  { path: 'api-keys', label: 'admin.apiKeys', Page: ApiKeysPage },
  { path: 'providers', label: 'admin.providers', Page: ProvidersPage },
  { path: 'speech', label: 'admin.speech', Page: SpeechPage },
  { path: 'usage', label: 'admin.usage', Page: UsagePage },
  { path: 'analytics', label: 'analytics.dashboard', Page: UsageDashboardPage },
  { path: 'audit-log', label: 'audit.title', Page: AuditLogPage },
  { path: 'organization', label: 'admin.organization', Page: OrganizationPage },
  { path: 'sso', label: 'sso.title', Page: SsoPage },
  { path: 'domains', label: 'sso.domains', Page: DomainsPage },
  { path: 'directory-sync', label: 'sso.directorySync', Page: DirectorySyncPage },
];
