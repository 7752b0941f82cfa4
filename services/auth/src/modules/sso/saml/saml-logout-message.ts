import { verify as verifySignature } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import * as nodeSamlXml from '@node-saml/node-saml/lib/xml';
import { DomainException, ErrorCode, SSO_LIMITS, type SsoRejectionReason } from '@parley/contracts';
import { elements, NS, parseSamlXml } from './saml-xml';

/**
 * node-saml's own XML signature check (one enveloped signature referencing the root, no other node
 * with its id, any of the certificates), typed here: its declarations name DOM types this service
 * does not compile with.
 */
const parseDom = nodeSamlXml.parseDomFromString as unknown as (xml: string) => Promise<{ documentElement: unknown }>;
const validateRootSignature = nodeSamlXml.validateSignature as unknown as (
  xml: string,
  root: unknown,
  certificates: string[],
) => boolean;

/** Query signature algorithms (HTTP-Redirect binding) accepted; SHA-1 is refused. */
const QUERY_ALGORITHMS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

/** A verified single logout message of the IdP: what it says, once its signature held. */
export type LogoutMessage =
  | {
      kind: 'request';
      id: string;
      issuer: string;
      destination: string | null;
      issueInstant: string;
      notOnOrAfter: string | null;
      nameId: string;
      nameIdFormat: string | null;
      sessionIndexes: string[];
      relayState: string | null;
    }
  | {
      kind: 'response';
      id: string;
      issuer: string;
      destination: string | null;
      inResponseTo: string | null;
      status: string;
    };

export function logoutRefused(reason: SsoRejectionReason, message: string): DomainException {
  return new DomainException(ErrorCode.SsoLogoutRejected, `SAML logout refused: ${message}`, {
    reason,
    redirectTo: `/sign-in?sso_error=${encodeURIComponent(reason)}`,
  });
}

/**
 * A LogoutRequest or LogoutResponse of the HTTP-Redirect binding (`rawQuery` as it arrived, without
 * `?`): a query signature is required (SHA-256 or stronger), verified over the parameters exactly as
 * they were encoded on the wire (SAML bindings 3.4.4.1) against the IdP's certificates; then the
 * deflated message is inflated within its bound.
 */
export function readRedirectLogout(rawQuery: string, certificates: readonly string[]): LogoutMessage {
  const raw = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (raw.has(name)) throw logoutRefused('response_malformed', `The parameter ${name} appears twice`);
    raw.set(name, eq === -1 ? '' : part.slice(eq + 1));
  }
  const decoded = (name: string) => {
    const value = raw.get(name);
    if (value === undefined) return undefined;
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      throw logoutRefused('response_malformed', `The parameter ${name} is not URL-encoded`);
    }
  };
  const kinds = (['SAMLRequest', 'SAMLResponse'] as const).filter((k) => raw.has(k));
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    throw logoutRefused('response_missing', 'Exactly one of SAMLRequest and SAMLResponse is expected');
  }
  const signature = decoded('Signature');
  const sigAlg = decoded('SigAlg');
  if (!signature || !sigAlg) throw logoutRefused('signature_missing', 'The message is not signed');
  const hash = QUERY_ALGORITHMS[sigAlg];
  if (!hash) throw logoutRefused('weak_algorithm', `Signature algorithm ${sigAlg.slice(0, 100)} is not accepted`);
  const relay = raw.has('RelayState') ? `&RelayState=${raw.get('RelayState')}` : '';
  const signed = Buffer.from(`${kind}=${raw.get(kind)}${relay}&SigAlg=${raw.get('SigAlg')}`, 'utf8');
  const signatureBytes = Buffer.from(signature, 'base64');
  const valid = certificates.some((pem) => {
    try {
      return verifySignature(hash, signed, pem, signatureBytes);
    } catch {
      return false;
    }
  });
  if (!valid) throw logoutRefused('signature_invalid', 'The query signature does not verify');
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(decoded(kind) ?? '', 'base64'), {
      maxOutputLength: SSO_LIMITS.redirectInflatedChars,
    }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError) {
      throw logoutRefused('response_too_large', `Inflated beyond ${SSO_LIMITS.redirectInflatedChars} bytes`);
    }
    throw logoutRefused('response_malformed', 'The message is not deflated XML');
  }
  return messageOf(xml, decoded('RelayState') ?? null);
}

/**
 * A LogoutRequest or LogoutResponse of the HTTP-POST binding (base64 in a form): its root element
 * must carry an enveloped XML signature by one of the IdP's certificates (no other signed element
 * counts: no wrapping), SHA-256 or stronger.
 */
export async function readPostLogout(
  encoded: string,
  relayState: string | null,
  certificates: readonly string[],
): Promise<LogoutMessage> {
  if (encoded.length > SSO_LIMITS.samlResponseChars) {
    throw logoutRefused('response_too_large', `Longer than ${SSO_LIMITS.samlResponseChars} characters`);
  }
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  const message = messageOf(xml, relayState);
  if (!/<(\w+:)?Signature[\s>]/.test(xml)) throw logoutRefused('signature_missing', 'The message is not signed');
  if (/xmldsig#rsa-sha1"|xmldsig#sha1"/.test(xml)) {
    throw logoutRefused('weak_algorithm', 'SHA-1 signatures are not accepted');
  }
  const dom = await parseDom(xml);
  if (!validateRootSignature(xml, dom.documentElement, [...certificates])) {
    throw logoutRefused('signature_invalid', 'The XML signature of the message does not verify');
  }
  return message;
}

/** The fields of a logout message; no DOCTYPE, no comments (they split signed text), SAML 2.0 protocol. */
function messageOf(xml: string, relayState: string | null): LogoutMessage {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw logoutRefused('doctype_refused', 'A DOCTYPE is not allowed');
  if (xml.includes('<!--')) throw logoutRefused('comment_refused', 'XML comments are not allowed');
  const doc = parseSamlXml(xml);
  const root = doc?.documentElement;
  if (!root || root.namespaceURI !== NS.protocol) throw logoutRefused('response_malformed', 'Not a SAML message');
  const issuer = elements(root, NS.assertion, 'Issuer')[0]?.textContent?.trim() ?? '';
  const id = root.getAttribute('ID') ?? '';
  if (!id) throw logoutRefused('response_malformed', 'The message has no ID');
  // xmldom answers '' for an absent attribute.
  const destination = root.getAttribute('Destination') || null;
  if (root.localName === 'LogoutRequest') {
    const nameIdElement = elements(root, NS.assertion, 'NameID')[0];
    const nameId = nameIdElement?.textContent?.trim() ?? '';
    if (!nameId) throw logoutRefused('response_malformed', 'The LogoutRequest names no NameID');
    return {
      kind: 'request',
      id,
      issuer,
      destination,
      issueInstant: root.getAttribute('IssueInstant') ?? '',
      notOnOrAfter: root.getAttribute('NotOnOrAfter') || null,
      nameId,
      nameIdFormat: nameIdElement?.getAttribute('Format') || null,
      sessionIndexes: elements(root, NS.protocol, 'SessionIndex')
        .map((e) => e.textContent?.trim() ?? '')
        .filter((s) => s.length > 0),
      relayState,
    };
  }
  if (root.localName === 'LogoutResponse') {
    const status = elements(root, NS.protocol, 'StatusCode')[0]?.getAttribute('Value') ?? '';
    return {
      kind: 'response',
      id,
      issuer,
      destination,
      inResponseTo: root.getAttribute('InResponseTo') || null,
      status,
    };
  }
  throw logoutRefused('response_malformed', `A ${root.localName} is not a logout message`);
}
