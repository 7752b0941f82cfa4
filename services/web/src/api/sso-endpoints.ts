import type { AdminMailbox, DomainView, ScimDirectoryView } from '@parley/contracts';
import { api } from './client';

/** The single sign-on routes the admin console calls: verified domains and directory sync. */
export const ssoApi = {
  domains: () => api.get<{ domains: DomainView[] }>('/api/v1/auth/domains'),
  claimDomain: (domain: string) => api.post<DomainView>('/api/v1/auth/domains', { domain }),
  verifyDomain: (id: string) => api.post<DomainView>(`/api/v1/auth/domains/${id}/verify`),
  mailDomain: (id: string, mailbox: AdminMailbox) =>
    api.post<DomainView>(`/api/v1/auth/domains/${id}/verification-mail`, { mailbox }),
  removeDomain: (id: string) => api.delete<void>(`/api/v1/auth/domains/${id}`),
  confirmDomain: (token: string) =>
    api.post<{ domain: string; status: 'verified' }>('/api/v1/auth/domains/confirm', { token }, { auth: false }),
  scim: () => api.get<ScimDirectoryView>('/api/v1/auth/scim'),
  issueScimToken: () => api.post<ScimDirectoryView>('/api/v1/auth/scim/token'),
  saveScimSettings: (settings: Pick<Required<ScimDirectoryView>, 'defaultRole' | 'groupRoles'>) =>
    api.put<ScimDirectoryView>('/api/v1/auth/scim/settings', settings),
  disableScim: () => api.delete<void>('/api/v1/auth/scim'),
};
