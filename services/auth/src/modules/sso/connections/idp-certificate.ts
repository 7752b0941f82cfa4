import { X509Certificate } from 'node:crypto';
import { DomainException, ErrorCode } from '@parley/contracts';

export interface IdpCertificate {
  /** PEM, one certificate, normalised line breaks. */
  pem: string;
  /** Its notAfter, ISO 8601. */
  expiresAt: string;
}

/**
 * An IdP signing certificate as an admin pastes it (PEM, or the bare base64 DER found in metadata),
 * parsed and normalised to PEM. Anything that is not one X.509 certificate is a 400.
 */
export function parseIdpCertificate(input: string, index = 0): IdpCertificate {
  const body = input
    .replace(/-----BEGIN CERTIFICATE-----/, '')
    .replace(/-----END CERTIFICATE-----/, '')
    .replace(/\s+/g, '');
  const invalid = () =>
    new DomainException(ErrorCode.ValidationFailed, 'Invalid IdP certificate', {
      issues: [`idp.certificates.${index}: must be one X.509 certificate (PEM or base64 DER)`],
    });
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw invalid();
  const lines = body.match(/.{1,64}/g) ?? [];
  const pem = `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    const cert = new X509Certificate(pem);
    return { pem, expiresAt: new Date(cert.validTo).toISOString() };
  } catch {
    throw invalid();
  }
}

/** The expiry of a stored certificate, or null if it cannot be read. */
export function certificateExpiry(pem: string): string | null {
  try {
    return new Date(new X509Certificate(pem).validTo).toISOString();
  } catch {
    return null;
  }
}
