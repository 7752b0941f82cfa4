import type { PublicRoute } from './public-route';
import { ADMIN, ssoConnectionView } from './route-parts';

const PROBLEMS = [400, 401, 403, 404, 409, 429, 503] as const;
const connectionId = { params: { id: 'The SSO connection (SAML)' } };
const auth = (path: string) => ({ service: 'auth', path }) as const;

/**
 * Rotating our SAML signing key without a sign-in outage: prepare the next key (our metadata then
 * publishes both certificates, so the IdP can learn the new one), switch to it, or discard it.
 */
export const SSO_SIGNING_KEY_ROUTES: readonly PublicRoute[] = [
  {
    id: 'sso.signing-key.prepare',
    method: 'POST',
    path: '/api/v1/auth/sso/connections/{id}/signing-key/next',
    tag: 'sso',
    summary: 'Prepare our next SAML signing key: its certificate is published beside the current one',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}/signing-key/next'),
    request: connectionId,
    responses: [
      { status: 201, description: 'The connection, with `idp.spNextCertificate`', schema: ssoConnectionView },
    ],
    problems: PROBLEMS,
  },
  {
    id: 'sso.signing-key.discard',
    method: 'DELETE',
    path: '/api/v1/auth/sso/connections/{id}/signing-key/next',
    tag: 'sso',
    summary: 'Discard our next SAML signing key (the current one keeps signing)',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}/signing-key/next'),
    request: connectionId,
    responses: [{ status: 200, description: 'The connection', schema: ssoConnectionView }],
    problems: PROBLEMS,
  },
  {
    id: 'sso.signing-key.activate',
    method: 'POST',
    path: '/api/v1/auth/sso/connections/{id}/signing-key/activate',
    tag: 'sso',
    summary: 'Switch to our next SAML signing key: it signs from now on, the old one is dropped',
    access: ADMIN,
    rateLimit: 'principal',
    upstream: auth('/auth/sso/connections/{id}/signing-key/activate'),
    request: connectionId,
    responses: [{ status: 200, description: 'The connection', schema: ssoConnectionView }],
    problems: PROBLEMS,
  },
];
