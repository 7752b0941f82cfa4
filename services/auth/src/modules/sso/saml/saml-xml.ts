// eslint-disable-next-line @nx/enforce-module-boundaries -- a package whose types tsconfig maps to services/auth/types/xmldom.d.ts (no DOM lib)
import { DOMParser, type XmlDocument, type XmlElement } from '@xmldom/xmldom';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The XML document of a SAML message, or null when it is not well-formed. No DTD is ever processed. */
export function parseSamlXml(xml: string): XmlDocument | null {
  let failed = false;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  }).parseFromString(xml, 'text/xml');
  return failed || !doc.documentElement ? null : doc;
}

export function elements(root: XmlDocument | XmlElement, ns: string, name: string): XmlElement[] {
  return Array.from(root.getElementsByTagNameNS(ns, name));
}
