import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { KeyEncryption, keyEncryptionFor } from './key-encryption';

const secret = Buffer.from('-----BEGIN PRIVATE KEY----- the plaintext that must never be stored');

describe('KeyEncryption (AES-256-GCM)', () => {
  const sealer = new KeyEncryption(randomBytes(32));

  it('round-trips and never contains the plaintext', () => {
    const sealed = sealer.encrypt(secret, 'kid-1');
    expect(sealed.includes(secret)).toBe(false);
    expect(sealed.includes(secret.subarray(0, 16))).toBe(false);
    expect(sealer.decrypt(sealed, 'kid-1').equals(secret)).toBe(true);
    expect(sealer.encrypt(secret, 'kid-1').equals(sealed)).toBe(false); // fresh IV each time
  });

  it('refuses a tampered envelope, another row and another key', () => {
    const sealed = sealer.encrypt(secret, 'kid-1');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => sealer.decrypt(tampered, 'kid-1')).toThrow();
    expect(() => sealer.decrypt(sealed, 'kid-2')).toThrow();
    expect(() => new KeyEncryption(randomBytes(32)).decrypt(sealed, 'kid-1')).toThrow();
    expect(() => sealer.decrypt(Buffer.from([9, 1, 2]), 'kid-1')).toThrow(/Unknown encrypted key format/);
  });

  it('needs exactly 32 bytes of key', () => {
    expect(() => new KeyEncryption(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('keyEncryptionFor', () => {
  const env = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    KAFKA_BROKERS: '127.0.0.1:9092',
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  };
  const logger = () => ({ warn: vi.fn() }) as unknown as Logger & { warn: ReturnType<typeof vi.fn> };

  it('uses the configured key', () => {
    const kek = randomBytes(32);
    const log = logger();
    const sealed = keyEncryptionFor(
      loadConfig('auth', { ...env, AUTH_KEY_ENCRYPTION_KEY: kek.toString('base64') }),
      log,
    ).encrypt(secret, 'k');
    expect(new KeyEncryption(kek).decrypt(sealed, 'k').equals(secret)).toBe(true);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('falls back to a fixed development key outside production, with a warning', () => {
    const log = logger();
    const first = keyEncryptionFor(loadConfig('auth', { ...env, NODE_ENV: 'test' }), log);
    const second = keyEncryptionFor(loadConfig('auth', { ...env, NODE_ENV: 'development' }), log);
    expect(second.decrypt(first.encrypt(secret, 'k'), 'k').equals(secret)).toBe(true);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('AUTH_KEY_ENCRYPTION_KEY is not set'));
  });

  it('refuses to run in production without a key', () => {
    const config = { ...loadConfig('auth', env), nodeEnv: 'production' as const };
    expect(() => keyEncryptionFor(config, logger())).toThrow(/AUTH_KEY_ENCRYPTION_KEY is required/);
  });
});
