import { SSO_LIMITS } from '@parley/contracts';
import type { LoginTrace } from '../login-trace';
import { elements, NS, parseSamlXml } from './saml-xml';

/** Signature and digest algorithms accepted; SHA-1 (and anything unknown) is refused. */
const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
]);
const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export interface InspectedResponse {
  /** The decoded XML, for node-saml. */
  xml: string;
  /** The ids of the assertions in the response (unverified: for the replay pre-check only). */
  assertionIds: string[];
}

/**
 * Checks a posted SAMLResponse before any signature work, each as a step of the trace: present and
 * bounded, base64 of well-formed XML, no DOCTYPE (no external entities, no entity expansion), no
 * comments (a comment splits a NameID's text: the comment-injection attack), a Response of SAML 2.0
 * protocol, signed (somewhere), only allowed algorithms (SHA-1 refused), Destination = our ACS.
 */
export function inspectSamlResponse(encoded: string | undefined, acsUrl: string, trace: LoginTrace): InspectedResponse {
  if (!encoded) trace.fail('response present', 'response_missing', 'No SAMLResponse in the form');
  if (encoded.length > SSO_LIMITS.samlResponseChars) {
    trace.fail(
      'response size',
      'response_too_large',
      `SAMLResponse longer than ${SSO_LIMITS.samlResponseChars} characters`,
    );
  }
  const compact = encoded.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) trace.fail('response encoding', 'response_malformed', 'Not base64');
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  trace.pass('response present', `${xml.length} characters of XML`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    trace.fail('no DOCTYPE', 'doctype_refused', 'A document type declaration (entities) is not allowed');
  }
  if (xml.includes('<!--')) trace.fail('no comments', 'comment_refused', 'XML comments are not allowed in a response');
  const doc = parseSamlXml(xml);
  const root = doc?.documentElement;
  if (!doc || !root || root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    trace.fail('well-formed Response', 'response_malformed', 'Not a well-formed SAML 2.0 Response');
  }
  trace.pass('well-formed Response');
  const signatures = elements(doc, NS.dsig, 'Signature');
  if (signatures.length === 0)
    trace.fail('signed', 'signature_missing', 'Neither the response nor an assertion is signed');
  for (const method of elements(doc, NS.dsig, 'SignatureMethod')) {
    const alg = method.getAttribute('Algorithm') ?? '';
    if (!SIGNATURE_ALGORITHMS.has(alg)) trace.fail('signature algorithm', 'weak_algorithm', `Refused: ${alg}`);
  }
  for (const method of elements(doc, NS.dsig, 'DigestMethod')) {
    const alg = method.getAttribute('Algorithm') ?? '';
    if (!DIGEST_ALGORITHMS.has(alg)) trace.fail('digest algorithm', 'weak_algorithm', `Refused: ${alg}`);
  }
  trace.pass('algorithms', 'SHA-256 or stronger');
  const destination = root.getAttribute('Destination');
  if (destination !== acsUrl) {
    trace.fail('destination', 'destination_mismatch', `Destination ${destination ?? '(none)'} is not ${acsUrl}`);
  }
  trace.pass('destination', acsUrl);
  const assertionIds = elements(doc, NS.assertion, 'Assertion')
    .map((a) => a.getAttribute('ID') ?? '')
    .filter((id) => id.length > 0);
  return { xml, assertionIds };
}
