import { describe, expect, it } from 'vitest';
import { splitCertificates } from './saml-connection-form';

describe('splitCertificates (the by-hand IdP form)', () => {
  it('reads PEM blocks one after another, ignoring text around them', () => {
    const a = '-----BEGIN CERTIFICATE-----\nMIIA\n-----END CERTIFICATE-----';
    const b = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(splitCertificates(`old:\n${a}\n\nnew:\n${b}\n`)).toEqual([a, b]);
  });

  it('reads bare base64 certificates separated by blank lines', () => {
    expect(splitCertificates('MIIA\nAAAA\n\n  \nMIIB\n')).toEqual(['MIIA\nAAAA', 'MIIB']);
  });

  it('gives nothing for blank text (the API then says at least one certificate)', () => {
    expect(splitCertificates('  \n\n ')).toEqual([]);
  });
});
