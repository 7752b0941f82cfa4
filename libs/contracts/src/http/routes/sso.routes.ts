import { z } from 'zod';
import {
  claimDomainBodySchema,
  confirmDomainBodySchema,
  domainConfirmedSchema,
  domainListSchema,
  domainMailBodySchema,
  domainViewSchema,
  scimDirectoryViewSchema,
} from '../../auth/domains';
import { scimGroupInputSchema, scimPatchSchema, scimSettingsSchema, scimUserInputSchema } from '../../auth/scim';
import { signedInResponseSchema } from '../../auth/http/auth-api.schema';
import { discoverSignInBodySchema, signInDiscoverySchema } from '../../auth/sign-in-discovery';
import { SSO_LIMITS } from '../../auth/sso';
import { ssoConnectionInputSchema } from '../../auth/sso-connection';
import { ldapSignInBodySchema, ldapTestBodySchema } from '../../auth/sso-ldap';
import { ssoPolicyBodySchema, ssoPolicyViewSchema } from '../../auth/sso-policy';
import type { PublicRoute, RouteBody } from './public-route';

const PUBLIC = { kind: 'public' } as const;
const ADMIN = { kind: 'authenticated', minRole: 'admin' } as const;
const PROBLEMS = [400, 401, 403, 404, 409, 413, 429, 503] as const;
const auth = (path: string) => ({ service: 'auth', path }) as const;
const json = (schema: z.ZodType, required = true): RouteBody => ({ encoding: 'json', schema, required });
const domainId = { params: { id: 'The claimed domain' } };

const connectionId = { params: { id: 'The SSO connection' } };
const connectionView = z.looseObject({ id: z.string(), protocol: z.string(), enabled: z.boolean() });
const slug = { params: { tenantSlug: 'The organisation address' } };

/** Single sign-on: a tenant's connections (admins) and the SAML routes the IdP and browser use (public). */
const SSO_CONNECTION_ROUTES: readonly PublicRoute[] = [
  {
    id: 'sso.connections.create',
    method: 'POST',
    path: '/api/v1/auth/sso/connections',
    tag: 'sso',
    summary: 'Connect an identity provider (SAML by hand, metadata XML or URL; OIDC; LDAP)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections'),
    request: { body: json(ssoConnectionInputSchema) },
    responses: [{ status: 201, description: 'The connection', schema: connectionView, name: 'SsoConnection' }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.list',
    method: 'GET',
    path: '/api/v1/auth/sso/connections',
    tag: 'sso',
    summary: "The tenant's SSO connections",
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections'),
    responses: [{ status: 200, description: 'Connections', schema: z.looseObject({ items: z.array(connectionView) }) }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.get',
    method: 'GET',
    path: '/api/v1/auth/sso/connections/{id}',
    tag: 'sso',
    summary: 'One SSO connection (our SP values, its certificates and their expiry)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}'),
    request: connectionId,
    responses: [{ status: 200, description: 'The connection', schema: connectionView, name: 'SsoConnection' }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.replace',
    method: 'PUT',
    path: '/api/v1/auth/sso/connections/{id}',
    tag: 'sso',
    summary: 'Replace an SSO connection (enable it, rotate certificates, change mappings)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}'),
    request: { ...connectionId, body: json(ssoConnectionInputSchema) },
    responses: [{ status: 200, description: 'The connection', schema: connectionView, name: 'SsoConnection' }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.remove',
    method: 'DELETE',
    path: '/api/v1/auth/sso/connections/{id}',
    tag: 'sso',
    summary: 'Remove an SSO connection',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}'),
    request: connectionId,
    responses: [{ status: 204, description: 'Removed' }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.traces',
    method: 'GET',
    path: '/api/v1/auth/sso/connections/{id}/traces',
    tag: 'sso',
    summary: 'The latest login traces of a connection (each check passed or failed, attributes received)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}/traces'),
    request: connectionId,
    responses: [{ status: 200, description: 'Traces', schema: z.looseObject({}) }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.connections.test',
    method: 'POST',
    path: '/api/v1/auth/sso/connections/{id}/test',
    tag: 'sso',
    summary: 'Test an LDAP connection step by step (connect, TLS, service bind, search), optionally with a probe login',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}/test'),
    request: { ...connectionId, body: json(ldapTestBodySchema, false) },
    responses: [
      { status: 200, description: 'Each check, passed or failed', schema: z.looseObject({ ok: z.boolean() }) },
    ],
    problems: PROBLEMS,
  },
  {
    id: 'sso.saml.metadata',
    method: 'GET',
    path: '/api/v1/sso/saml/{tenantSlug}/metadata',
    tag: 'sso',
    summary: "Our SAML service-provider metadata for a tenant's IdP (XML)",
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/saml/{tenantSlug}/metadata'),
    request: slug,
    responses: [{ status: 200, description: 'application/samlmetadata+xml' }],
    problems: [404, 429, 503],
  },
  {
    id: 'sso.saml.login',
    method: 'GET',
    path: '/api/v1/sso/saml/{tenantSlug}/login',
    tag: 'sso',
    summary: "SP-initiated SAML login: a redirect to the tenant's IdP (?redirectTo=/path, ?test=1)",
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/saml/{tenantSlug}/login'),
    request: slug,
    responses: [{ status: 302, description: 'To the IdP (HTTP-Redirect binding)' }],
    problems: [400, 404, 429, 503],
  },
  {
    id: 'sso.saml.acs',
    method: 'POST',
    path: '/api/v1/sso/saml/{tenantSlug}/acs',
    tag: 'sso',
    summary: 'SAML assertion consumer service (HTTP-POST binding): the refresh cookie and a 303 into the app',
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/saml/{tenantSlug}/acs'),
    request: {
      ...slug,
      body: {
        encoding: 'raw',
        contentTypes: ['application/x-www-form-urlencoded'],
        description: 'SAMLResponse and RelayState, as the IdP posted them',
        maxBytes: SSO_LIMITS.acsFormBytes,
      },
    },
    responses: [{ status: 303, description: 'Signed in: the refresh cookie is set; to the app path' }],
    problems: [401, 404, 409, 413, 415, 429, 503],
    session: 'sso',
  },
  {
    id: 'sso.oidc.login',
    method: 'GET',
    path: '/api/v1/sso/oidc/{tenantSlug}/login',
    tag: 'sso',
    summary: "OIDC login: a redirect to the tenant's IdP, code flow with PKCE S256 (?redirectTo=/path, ?test=1)",
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/oidc/{tenantSlug}/login'),
    request: slug,
    responses: [{ status: 302, description: 'To the IdP authorization endpoint' }],
    problems: [400, 404, 429, 503],
  },
  {
    id: 'sso.oidc.callback',
    method: 'GET',
    path: '/api/v1/sso/oidc/{tenantSlug}/callback',
    tag: 'sso',
    summary: 'OIDC redirect URI (?code&state): the refresh cookie and a 303 into the app',
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/oidc/{tenantSlug}/callback'),
    request: slug,
    responses: [{ status: 303, description: 'Signed in: the refresh cookie is set; to the app path' }],
    problems: [400, 401, 404, 409, 429, 503],
    session: 'sso',
  },
  {
    id: 'sso.ldap.signIn',
    method: 'POST',
    path: '/api/v1/sso/ldap/{tenantSlug}/sign-in',
    tag: 'sso',
    summary: "Sign in with the organisation's directory (LDAP / Active Directory): login and password",
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/sso/ldap/{tenantSlug}/sign-in'),
    request: { ...slug, body: json(ldapSignInBodySchema) },
    responses: [
      {
        status: 200,
        description: 'Signed in: tokens, user and tenant',
        schema: signedInResponseSchema,
        name: 'SignedInResponse',
      },
    ],
    problems: [400, 401, 404, 409, 429, 503],
    session: 'issue',
  },
];

/** Verified domains and directory sync as the tenant's admins manage them (`/api/v1/auth/...`). */
const SSO_ADMIN_ROUTES: readonly PublicRoute[] = [
  {
    id: 'sso.discover',
    method: 'POST',
    path: '/api/v1/auth/sign-in/discover',
    tag: 'sso',
    summary: 'Email first: password, or the organisation IdP a verified domain leads to',
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/auth/sign-in/discover'),
    request: { body: json(discoverSignInBodySchema) },
    responses: [
      { status: 200, description: 'Where to sign in', schema: signInDiscoverySchema, name: 'SignInDiscovery' },
    ],
    problems: [400, 413, 429, 503],
  },
  {
    id: 'sso.policy.get',
    method: 'GET',
    path: '/api/v1/auth/sso/policy',
    tag: 'sso',
    summary: '"SSO required" and its break-glass owners',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/policy'),
    responses: [{ status: 200, description: 'The policy', schema: ssoPolicyViewSchema, name: 'SsoPolicy' }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.policy.save',
    method: 'PUT',
    path: '/api/v1/auth/sso/policy',
    tag: 'sso',
    summary: 'Require single sign-on (revokes the other sessions at once) or stop requiring it',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/policy'),
    request: { body: json(ssoPolicyBodySchema) },
    responses: [{ status: 200, description: 'The policy', schema: ssoPolicyViewSchema, name: 'SsoPolicy' }],
    problems: PROBLEMS,
  },
  {
    id: 'domains.list',
    method: 'GET',
    path: '/api/v1/auth/domains',
    tag: 'sso',
    summary: "The tenant's claimed domains, pending and verified",
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/domains'),
    responses: [{ status: 200, description: 'Domains', schema: domainListSchema, name: 'DomainList' }],
    problems: PROBLEMS,
  },
  {
    id: 'domains.claim',
    method: 'POST',
    path: '/api/v1/auth/domains',
    tag: 'sso',
    summary: 'Claim a domain; the answer carries the TXT record that proves it',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/domains'),
    request: { body: json(claimDomainBodySchema) },
    responses: [{ status: 201, description: 'The claim', schema: domainViewSchema, name: 'DomainView' }],
    problems: PROBLEMS,
  },
  {
    id: 'domains.verify',
    method: 'POST',
    path: '/api/v1/auth/domains/{id}/verify',
    tag: 'sso',
    summary: 'Look the TXT record up and verify the domain (422 domain_verification_failed when absent)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/domains/{id}/verify'),
    request: domainId,
    responses: [{ status: 200, description: 'Verified', schema: domainViewSchema, name: 'DomainView' }],
    problems: [...PROBLEMS, 422],
  },
  {
    id: 'domains.mail',
    method: 'POST',
    path: '/api/v1/auth/domains/{id}/verification-mail',
    tag: 'sso',
    summary: 'Mail a single-use verification link to an admin mailbox of the domain (one a minute)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/domains/{id}/verification-mail'),
    request: { ...domainId, body: json(domainMailBodySchema) },
    responses: [{ status: 200, description: 'Sent', schema: domainViewSchema, name: 'DomainView' }],
    problems: PROBLEMS,
  },
  {
    id: 'domains.confirm',
    method: 'POST',
    path: '/api/v1/auth/domains/confirm',
    tag: 'sso',
    summary: 'Confirm a domain by the link of its verification mail (the token is the proof)',
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth('/auth/domains/confirm'),
    request: { body: json(confirmDomainBodySchema) },
    responses: [{ status: 200, description: 'Verified', schema: domainConfirmedSchema }],
    problems: [400, 409, 413, 422, 429, 503],
  },
  {
    id: 'domains.remove',
    method: 'DELETE',
    path: '/api/v1/auth/domains/{id}',
    tag: 'sso',
    summary: 'Give a claim up (the domain is free for whoever proves it next)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/domains/{id}'),
    request: domainId,
    responses: [{ status: 204, description: 'Removed' }],
    problems: PROBLEMS,
  },
  {
    id: 'scim.settings',
    method: 'GET',
    path: '/api/v1/auth/scim',
    tag: 'sso',
    summary: 'Directory sync: SCIM base URL, token hint, default role, group-to-role table',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/scim'),
    responses: [{ status: 200, description: 'Settings', schema: scimDirectoryViewSchema, name: 'ScimDirectory' }],
    problems: PROBLEMS,
  },
  {
    id: 'scim.issueToken',
    method: 'POST',
    path: '/api/v1/auth/scim/token',
    tag: 'sso',
    summary: 'Turn directory sync on or replace its token (shown in this answer only)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/scim/token'),
    responses: [{ status: 201, description: 'The token', schema: scimDirectoryViewSchema, name: 'ScimDirectory' }],
    problems: PROBLEMS,
  },
  {
    id: 'scim.saveSettings',
    method: 'PUT',
    path: '/api/v1/auth/scim/settings',
    tag: 'sso',
    summary: 'Default role and group-to-role table (re-applied to every provisioned person)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/scim/settings'),
    request: { body: json(scimSettingsSchema) },
    responses: [{ status: 200, description: 'Saved', schema: scimDirectoryViewSchema, name: 'ScimDirectory' }],
    problems: PROBLEMS,
  },
  {
    id: 'scim.disable',
    method: 'DELETE',
    path: '/api/v1/auth/scim',
    tag: 'sso',
    summary: 'Turn directory sync off (the token stops working; people stay members)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/scim'),
    responses: [{ status: 204, description: 'Off' }],
    problems: PROBLEMS,
  },
];

const SCIM_PROBLEMS = [400, 401, 404, 409, 413, 429, 503] as const;
const scimResource = z.looseObject({ schemas: z.array(z.string()), id: z.string() });
const scimList = z.looseObject({
  schemas: z.array(z.string()),
  totalResults: z.number(),
  Resources: z.array(z.unknown()),
});
const listQuery = z.object({
  filter: z.string().optional(),
  startIndex: z.string().optional(),
  count: z.string().optional(),
  excludedAttributes: z.string().optional(),
});

/** One SCIM route: public at the gateway, the directory token verified by auth (RFC 7644). */
function scim(
  method: PublicRoute['method'],
  path: string,
  summary: string,
  extra: Partial<Pick<PublicRoute, 'request' | 'responses'>> = {},
): PublicRoute {
  const name = path.replace(/[{}]/g, '').replace(/\W+(\w)/g, (_, c: string) => c.toUpperCase());
  return {
    id: `scim.${method.toLowerCase()}${name}`,
    method,
    path: `/scim/v2${path}`,
    tag: 'scim',
    summary,
    description: 'Authorization: Bearer <the directory token from the admin console>. Errors in the SCIM form.',
    access: PUBLIC,
    rateLimit: 'client',
    upstream: auth(`/scim/v2${path}`),
    responses: [{ status: 200, description: 'SCIM resource', schema: scimResource }],
    problems: SCIM_PROBLEMS,
    ...extra,
  };
}

const scimBody = (schema: z.ZodType) => ({ body: json(schema) });
const created = [{ status: 201, description: 'Created', schema: scimResource }];
const removed = [{ status: 204, description: 'Deleted' }];
const listed = [{ status: 200, description: 'ListResponse', schema: scimList }];
const id = (what: string) => ({ params: { id: what } });

/** SCIM 2.0 directory sync as identity providers call it (`/scim/v2/...`). */
const SCIM_ROUTES: readonly PublicRoute[] = [
  scim('GET', '/ServiceProviderConfig', 'What this SCIM service supports'),
  scim('GET', '/ResourceTypes', 'User and Group', { responses: listed }),
  scim('GET', '/Users', 'Users, filtered by userName, externalId or emails.value eq', {
    request: { query: listQuery },
    responses: listed,
  }),
  scim('POST', '/Users', 'Provision a person', { request: scimBody(scimUserInputSchema), responses: created }),
  scim('GET', '/Users/{id}', 'One user', { request: id('The SCIM user') }),
  scim('PUT', '/Users/{id}', 'Replace a user', {
    request: { ...id('The SCIM user'), ...scimBody(scimUserInputSchema) },
  }),
  scim('PATCH', '/Users/{id}', 'Patch a user (active: false removes access at once)', {
    request: { ...id('The SCIM user'), ...scimBody(scimPatchSchema) },
  }),
  scim('DELETE', '/Users/{id}', 'Deprovision a person', { request: id('The SCIM user'), responses: removed }),
  scim('GET', '/Groups', 'Groups, filtered by displayName or externalId eq', {
    request: { query: listQuery },
    responses: listed,
  }),
  scim('POST', '/Groups', 'Create a group', { request: scimBody(scimGroupInputSchema), responses: created }),
  scim('GET', '/Groups/{id}', 'One group', { request: { ...id('The SCIM group'), query: listQuery } }),
  scim('PUT', '/Groups/{id}', 'Replace a group', {
    request: { ...id('The SCIM group'), ...scimBody(scimGroupInputSchema) },
  }),
  scim('PATCH', '/Groups/{id}', 'Patch a group (members drive roles)', {
    request: { ...id('The SCIM group'), ...scimBody(scimPatchSchema) },
  }),
  scim('DELETE', '/Groups/{id}', 'Delete a group', { request: id('The SCIM group'), responses: removed }),
];

export const SSO_ROUTES: readonly PublicRoute[] = [...SSO_CONNECTION_ROUTES, ...SSO_ADMIN_ROUTES, ...SCIM_ROUTES];
