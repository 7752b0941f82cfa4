import { randomUUID, sign } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TestIdp } from './test-idp';

const SIG_ALGS = {
  sha256: { uri: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', hash: 'sha256' },
  sha1: { uri: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', hash: 'sha1' },
} as const;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What an IdP's LogoutRequest says; each field can be bent. */
export interface LogoutRequestSpec {
  destination: string;
  nameId: string;
  sessionIndexes?: string[];
  issuer?: string;
  id?: string;
  /** IssueInstant relative to now (ms). */
  issuedOffsetMs?: number;
}

/** An IdP's LogoutRequest (unsigned XML). */
export function logoutRequestXml(idp: TestIdp, spec: LogoutRequestSpec): string {
  const id = spec.id ?? `_lr${randomUUID().replace(/-/g, '')}`;
  const instant = new Date(Date.now() + (spec.issuedOffsetMs ?? 0)).toISOString();
  const indexes = (spec.sessionIndexes ?? []).map((s) => `<samlp:SessionIndex>${escape(s)}</samlp:SessionIndex>`);
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="${id}" Version="2.0" IssueInstant="${instant}" Destination="${escape(spec.destination)}">` +
    `<saml:Issuer>${escape(spec.issuer ?? idp.entityId)}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(spec.nameId)}</saml:NameID>` +
    indexes.join('') +
    `</samlp:LogoutRequest>`
  );
}

/** An IdP's LogoutResponse to one of our LogoutRequests (unsigned XML). */
export function logoutResponseXml(
  idp: TestIdp,
  spec: { destination: string; inResponseTo: string; issuer?: string; status?: string },
): string {
  const status = spec.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  return (
    `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="_lp${randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${new Date().toISOString()}" ` +
    `Destination="${escape(spec.destination)}" InResponseTo="${escape(spec.inResponseTo)}">` +
    `<saml:Issuer>${escape(spec.issuer ?? idp.entityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escape(status)}"/></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}

/**
 * The query of the HTTP-Redirect binding: the message deflated and base64'd, RelayState, SigAlg and
 * the signature over them as encoded (the IdP's key, or none with `sign: false`).
 */
export function redirectQuery(
  idp: TestIdp,
  kind: 'SAMLRequest' | 'SAMLResponse',
  xml: string,
  options: { relayState?: string; sign?: boolean; algorithm?: keyof typeof SIG_ALGS } = {},
): string {
  const algorithm = SIG_ALGS[options.algorithm ?? 'sha256'];
  let query = `${kind}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (options.relayState !== undefined) query += `&RelayState=${encodeURIComponent(options.relayState)}`;
  if (options.sign === false) return query;
  query += `&SigAlg=${encodeURIComponent(algorithm.uri)}`;
  const signature = sign(algorithm.hash, Buffer.from(query, 'utf8'), idp.keys.privateKeyPem).toString('base64');
  return `${query}&Signature=${encodeURIComponent(signature)}`;
}

/** A redirect-binding URL's SAML message (inflated XML) and parameters. */
export function redirectMessageOf(location: string): { xml: string; params: URLSearchParams; signedQuery: string } {
  const url = new URL(location);
  const params = url.searchParams;
  const kind = params.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const xml = inflateRawSync(Buffer.from(params.get(kind) ?? '', 'base64')).toString('utf8');
  const raw = url.search.slice(1).split('&');
  const signedQuery = raw.filter((p) => !p.startsWith('Signature=')).join('&');
  return { xml, params, signedQuery };
}
