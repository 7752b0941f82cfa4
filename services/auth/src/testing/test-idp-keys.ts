import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An RSA key and a self-signed certificate for a test identity provider (openssl). */
export interface TestIdpKeys {
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate's base64 DER, as metadata carries it. */
  certificateBase64: string;
}

export function generateIdpKeys(commonName = 'test-idp', days = 30): TestIdpKeys {
  const dir = mkdtempSync(join(tmpdir(), 'parley-idp-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        String(days),
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return {
      privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
      certificatePem,
      certificateBase64: certificatePem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** IdP metadata as Keycloak, Okta or Entra publish it: entity id, redirect SSO URL, signing certificates. */
export function idpMetadataXml(entityId: string, ssoUrl: string, certificatesBase64: string[]): string {
  const keys = certificatesBase64
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate>` +
        `</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    keys +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
