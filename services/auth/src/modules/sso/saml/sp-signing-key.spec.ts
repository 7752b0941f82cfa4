import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSpSigningKey, keyMatchesCertificate } from './sp-signing-key';

describe('our SP signing key and its self-signed certificate', () => {
  it('is a certificate of the key, self-signed, naming the SP, valid from now for ten years', () => {
    const now = new Date('2026-12-05T12:00:00Z');
    const key = generateSpSigningKey('https://parley.test/api/v1/sso/saml/acme/metadata', now);
    const cert = new X509Certificate(key.certificatePem);
    expect(keyMatchesCertificate(key)).toBe(true);
    expect(cert.subject).toBe('CN=https://parley.test/api/v1/sso/saml/acme/metadata');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2036);
  });

  it('is read by openssl as an X.509 v3 certificate signed with sha256WithRSAEncryption', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-cert-'));
    try {
      writeFileSync(join(dir, 'cert.pem'), generateSpSigningKey('sp').certificatePem);
      const text = execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-text'], {
        encoding: 'utf8',
      });
      expect(text).toContain('Version: 3 (0x2)');
      expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
      const verified = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'cert.pem'), join(dir, 'cert.pem')], {
        encoding: 'utf8',
      });
      expect(verified.trim()).toMatch(/: OK$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a different key each time', () => {
    expect(generateSpSigningKey('sp').privateKeyPem).not.toBe(generateSpSigningKey('sp').privateKeyPem);
  });
});
