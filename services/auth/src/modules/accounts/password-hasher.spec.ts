import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the OWASP baseline and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapl')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('compares NFKC-normalised passwords', async () => {
    const hash = await hasher.hash('pässwörd-\u212B-long');
    expect(await hasher.verify(hash, 'pa\u0308sswo\u0308rd-\u00C5-long')).toBe(true);
  });

  it('answers false for a malformed hash and for the dummy check', async () => {
    expect(await hasher.verify('not-a-hash', 'whatever')).toBe(false);
    expect(await hasher.verifyDummy('whatever')).toBe(false);
  });
});
