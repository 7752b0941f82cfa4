import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SsoRejectionReason } from '@parley/contracts';
import type { SamlConnection } from '../connections/sso-connections.repository';
import type { ServiceProviderValues } from '../service-provider';
import { SAML_REQUEST_TTL_MS, type RedisSamlRequestCache } from './saml-stores';

/** Clock skew accepted between us and the IdP on NotBefore / NotOnOrAfter. */
export const SAML_CLOCK_SKEW_MS = 60_000;

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * node-saml for one tenant's connection: our entity id as issuer and audience, our ACS, the IdP's
 * certificates (all of them: rollover), signed assertions required, SHA-256 for what we sign,
 * InResponseTo checked against the shared request store (required, unless the connection accepts
 * IdP-initiated logins: then checked when present), ≤ 60 s clock skew.
 */
export function samlFor(
  connection: SamlConnection,
  sp: ServiceProviderValues,
  cache: RedisSamlRequestCache,
  /** Our signing key (PEM): given for single logout, whose messages we sign; then the IdP's SLO URL is used. */
  signingKey?: string,
): SAML {
  return new SAML({
    ...(signingKey === undefined
      ? {}
      : { privateKey: signingKey, logoutUrl: connection.idp.sloUrl, logoutCallbackUrl: sp.sloUrl }),
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    entryPoint: connection.idp.ssoUrl,
    idpCert: connection.idp.certificates,
    idpIssuer: connection.idp.entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    // IdP-initiated logins (a response answering no request) only where the connection allows them.
    validateInResponseTo: connection.idp.allowIdpInitiated
      ? ValidateInResponseTo.ifPresent
      : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    cacheProvider: cache,
    identifierFormat: EMAIL_NAME_ID,
    disableRequestedAuthnContext: true,
  });
}

/** node-saml's error messages, mapped to our reasons (anything else: response_malformed). */
const MESSAGE_REASONS: readonly [RegExp, SsoRejectionReason][] = [
  [/InResponseTo/i, 'in_response_to_invalid'],
  [/signature|signed data|multiple assertions|references/i, 'signature_invalid'],
  [/not yet valid/i, 'assertion_not_yet_valid'],
  [/expired|subject confirmation/i, 'assertion_expired'],
  [/audience/i, 'audience_mismatch'],
  [/issuer/i, 'issuer_mismatch'],
  [/SAML provider returned/i, 'idp_error'],
];

export function reasonOfSamlError(error: unknown): { reason: SsoRejectionReason; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const found = MESSAGE_REASONS.find(([pattern]) => pattern.test(message));
  return { reason: found?.[1] ?? 'response_malformed', message };
}
