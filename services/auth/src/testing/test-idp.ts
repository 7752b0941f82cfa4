import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import type { TestIdpKeys } from './test-idp-keys';

const ALGORITHMS = {
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  sha1: {
    signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
} as const;

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** What a response says; each field can be bent to build an attack. */
export interface ResponseSpec {
  /** The AuthnRequest id answered (null: none, as in IdP-initiated SSO). */
  inResponseTo: string | null;
  /** Response@Destination. */
  destination: string;
  /** SubjectConfirmationData@Recipient. */
  recipient: string;
  audience: string;
  nameId: string;
  attributes?: Record<string, string[]>;
  issuer?: string;
  assertionId?: string;
  /** Conditions and SubjectConfirmationData window, relative to now (ms). */
  notBeforeOffsetMs?: number;
  notOnOrAfterOffsetMs?: number;
  /** What is signed (default: the assertion). */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  algorithm?: keyof typeof ALGORITHMS;
  /** Put raw XML text in the NameID as it is (e.g. a comment). */
  rawNameId?: string;
}

function iso(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A test identity provider that builds SAML 2.0 responses and signs them with its own key (xml-crypto,
 * as node-saml's own tests do), for the ACS's success path and its attack suite.
 */
export class TestIdp {
  constructor(
    readonly keys: TestIdpKeys,
    readonly entityId = `https://idp.test/${randomUUID().slice(0, 8)}`,
  ) {}

  /** The XML of a response (unsigned parts as given), before base64. */
  responseXml(spec: ResponseSpec): string {
    const assertionId = spec.assertionId ?? `_a${randomUUID().replace(/-/g, '')}`;
    const responseId = `_r${randomUUID().replace(/-/g, '')}`;
    const issuer = spec.issuer ?? this.entityId;
    const notBefore = iso(spec.notBeforeOffsetMs ?? -30_000);
    const notOnOrAfter = iso(spec.notOnOrAfterOffsetMs ?? 300_000);
    const inResponseTo = spec.inResponseTo === null ? '' : ` InResponseTo="${escape(spec.inResponseTo)}"`;
    const attributes = Object.entries(spec.attributes ?? {})
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${escape(name)}">` +
          values.map((v) => `<saml:AttributeValue>${escape(v)}</saml:AttributeValue>`).join('') +
          `</saml:Attribute>`,
      )
      .join('');
    const nameId = spec.rawNameId ?? escape(spec.nameId);
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${iso(0)}">` +
      `<saml:Issuer>${escape(issuer)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${nameId}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${notOnOrAfter}" Recipient="${escape(spec.recipient)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}">` +
      `<saml:AudienceRestriction><saml:Audience>${escape(spec.audience)}</saml:Audience></saml:AudienceRestriction>` +
      `</saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(0)}" SessionIndex="${assertionId}"><saml:AuthnContext>` +
      `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef>` +
      `</saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      `</saml:Assertion>`;
    const response =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${responseId}" Version="2.0" IssueInstant="${iso(0)}" Destination="${escape(spec.destination)}"${inResponseTo}>` +
      `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${escape(issuer)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    const sign = spec.sign ?? 'assertion';
    const algorithm = spec.algorithm ?? 'sha256';
    let xml = response;
    if (sign === 'assertion' || sign === 'both') xml = this.sign(xml, 'Assertion', algorithm);
    if (sign === 'response' || sign === 'both') xml = this.sign(xml, 'Response', algorithm);
    return xml;
  }

  /** The base64 SAMLResponse of a spec. */
  response(spec: ResponseSpec): string {
    return encode(this.responseXml(spec));
  }

  /** Signs the element (Assertion or Response) enveloped, the signature after its Issuer. */
  sign(
    xml: string,
    element: 'Assertion' | 'Response' | 'LogoutRequest' | 'LogoutResponse',
    algorithm: keyof typeof ALGORITHMS = 'sha256',
  ): string {
    const signer = new SignedXml({
      privateKey: this.keys.privateKeyPem,
      publicCert: this.keys.certificatePem,
      signatureAlgorithm: ALGORITHMS[algorithm].signature,
      canonicalizationAlgorithm: EXC_C14N,
    });
    const target = `//*[local-name(.)='${element}']`;
    signer.addReference({
      xpath: target,
      digestAlgorithm: ALGORITHMS[algorithm].digest,
      transforms: [ENVELOPED, EXC_C14N],
    });
    signer.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
    });
    return signer.getSignedXml();
  }
}

export function encode(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** The AuthnRequest of an HTTP-Redirect login URL: its id and the RelayState. */
export function authnRequestOf(location: string): { id: string; relayState: string | null; xml: string } {
  const url = new URL(location);
  const request = url.searchParams.get('SAMLRequest');
  if (!request) throw new Error(`No SAMLRequest in ${location}`);
  const xml = inflateRawSync(Buffer.from(request, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error(`No ID in the AuthnRequest: ${xml}`);
  return { id, relayState: url.searchParams.get('RelayState'), xml };
}
