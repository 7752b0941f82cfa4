// eslint-disable-next-line @nx/enforce-module-boundaries -- a package whose types tsconfig maps to services/auth/types/xmldom.d.ts (no DOM lib)
import { DOMParser } from '@xmldom/xmldom';
import { DomainException, ErrorCode, type SamlIdpSettings } from '@parley/contracts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

function invalid(message: string): DomainException {
  return new DomainException(ErrorCode.SsoMetadataInvalid, `IdP metadata: ${message}`);
}

/**
 * An IdP's SAML metadata (EntityDescriptor, or the first IdP of an EntitiesDescriptor) read into
 * what a connection needs: its entity id, its HTTP-Redirect single sign-on URL, its HTTP-Redirect
 * single logout URL when it publishes one, and its signing certificates. A document type declaration is refused before parsing (no DTD, no entities).
 */
export function parseIdpMetadata(xml: string): SamlIdpSettings {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('a document type declaration is not allowed');
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m: unknown) => errors.push(String(m)),
      fatalError: (m: unknown) => errors.push(String(m)),
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) throw invalid('not well-formed XML');
  const idp = Array.from(doc.getElementsByTagNameNS(MD, 'IDPSSODescriptor'))[0];
  const entity = idp?.parentNode;
  if (!idp || !entity || entity.localName !== 'EntityDescriptor') throw invalid('no IDPSSODescriptor');
  const entityId = entity.getAttribute('entityID') ?? '';
  if (!entityId) throw invalid('no entityID');
  const sso = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')).find(
    (e) => e.getAttribute('Binding') === REDIRECT_BINDING,
  );
  const ssoUrl = sso?.getAttribute('Location') ?? '';
  if (!/^https?:\/\//.test(ssoUrl)) throw invalid('no HTTP-Redirect SingleSignOnService');
  const slo = Array.from(idp.getElementsByTagNameNS(MD, 'SingleLogoutService')).find(
    (e) => e.getAttribute('Binding') === REDIRECT_BINDING,
  );
  const sloUrl = slo?.getAttribute('Location') ?? '';
  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter((c) => c.length > 0);
  if (certificates.length === 0) throw invalid('no signing certificate');
  return {
    entityId,
    ssoUrl,
    ...(/^https?:\/\/[^\s]{1,2040}$/.test(sloUrl) ? { sloUrl } : {}),
    certificates: [...new Set(certificates)],
  };
}
