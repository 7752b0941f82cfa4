import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialEncryption } from './credential-encryption';
import { keyHint } from '@parley/config';

describe('CredentialEncryption (AES-256-GCM, row id as associated data)', () => {
  const sealer = new CredentialEncryption(randomBytes(32));
  const key = 'sk-ant-api03-THE-SECRET-PART-1234';

  it('round-trips a key and never holds it in clear', () => {
    const envelope = sealer.encrypt(key, 'row-1');
    expect(envelope[0]).toBe(1);
    expect(envelope.length).toBe(1 + 12 + 16 + Buffer.byteLength(key));
    expect(envelope.includes(Buffer.from('THE-SECRET'))).toBe(false);
    expect(sealer.decrypt(envelope, 'row-1')).toBe(key);
    expect(sealer.encrypt(key, 'row-1').equals(envelope)).toBe(false); // a fresh IV each time
  });

  it('refuses another row, another key-encryption key, an altered envelope and an unknown version', () => {
    const envelope = sealer.encrypt(key, 'row-1');
    expect(() => sealer.decrypt(envelope, 'row-2')).toThrow();
    expect(() => new CredentialEncryption(randomBytes(32)).decrypt(envelope, 'row-1')).toThrow();
    const altered = Buffer.from(envelope);
    altered[altered.length - 1] = (altered[altered.length - 1] as number) ^ 1;
    expect(() => sealer.decrypt(altered, 'row-1')).toThrow();
    const version = Buffer.from(envelope);
    version[0] = 2;
    expect(() => sealer.decrypt(version, 'row-1')).toThrow(/format/);
    expect(() => sealer.decrypt(Buffer.alloc(10), 'row-1')).toThrow(/format/);
  });

  it('needs a 32-byte key-encryption key', () => {
    expect(() => new CredentialEncryption(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('keyHint', () => {
  it('shows the last four characters of a real key, nothing of a short one', () => {
    expect(keyHint('sk-proj-abcdefghijklmnop9876')).toBe('…9876');
    expect(keyHint('short-key')).toBe('…');
  });
});
