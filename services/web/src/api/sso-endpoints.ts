import {
  SSO_ADMIN_ROUTES,
  type AdminMailbox,
  type DomainView,
  type LdapTestResult,
  type SsoConnectionInput,
  type ScimDirectoryView,
  type SignInDiscovery,
  type SocialProvidersView,
  SOCIAL_ROUTES,
  type SsoConnectionView,
  type SsoLoginTrace,
} from '@parley/contracts';
import { api } from './client';

/** The single sign-on routes the admin console calls: connections, verified domains, directory sync. */
export const ssoApi = {
  /** Home-realm discovery (contract: sign-in-discovery.ts): how a person with this email signs in. */
  discover: (email: string) => api.post<SignInDiscovery>('/api/v1/auth/sign-in/discover', { email }, { auth: false }),
  /** The social sign-in buttons the operator turned on (OAUTH_PROVIDERS). */
  socialProviders: () => api.get<SocialProvidersView>(SOCIAL_ROUTES.providers, { auth: false }),
  connections: () => api.get<{ connections: SsoConnectionView[] }>(SSO_ADMIN_ROUTES.connections),
  createConnection: (input: SsoConnectionInput) => api.post<SsoConnectionView>(SSO_ADMIN_ROUTES.connections, input),
  replaceConnection: (id: string, input: SsoConnectionInput) =>
    api.put<SsoConnectionView>(SSO_ADMIN_ROUTES.connection(id), input),
  /** An LDAP connection's test: the bind and search, and a probe login when given. */
  testLdap: (id: string, probe?: { login: string; password: string }) =>
    api.post<LdapTestResult>(SSO_ADMIN_ROUTES.test(id), probe ? { probe } : {}),
  removeConnection: (id: string) => api.delete<void>(SSO_ADMIN_ROUTES.connection(id)),
  /** Rotating our SAML signing key: the next key, published beside the current one. */
  prepareSigningKey: (id: string) => api.post<SsoConnectionView>(SSO_ADMIN_ROUTES.nextSigningKey(id)),
  activateSigningKey: (id: string) => api.post<SsoConnectionView>(SSO_ADMIN_ROUTES.activateSigningKey(id)),
  discardSigningKey: (id: string) => api.delete<SsoConnectionView>(SSO_ADMIN_ROUTES.nextSigningKey(id)),
  traces: (id: string) => api.get<{ traces: SsoLoginTrace[] }>(SSO_ADMIN_ROUTES.traces(id)),
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
