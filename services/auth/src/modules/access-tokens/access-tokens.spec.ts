import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@parley/config';
import type { SigningKeyStore } from '../signing-keys/signing-key-store';
import type { AccessSubject } from './access-token.claims';
import { AccessTokens } from './access-tokens';

const config = loadConfig('auth', {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  ACCESS_TOKEN_TTL_SECONDS: '60',
});
const subject: AccessSubject = {
  userId: randomUUID(),
  tenantId: randomUUID(),
  role: 'admin',
  sessionId: randomUUID(),
  plan: 'pro',
};

describe('AccessTokens', () => {
  let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
  let lookups: string[];
  let failing: boolean;
  let tokens: AccessTokens;

  beforeAll(async () => {
    keys = await generateKeyPair('EdDSA');
    const store = {
      signer: async () => ({ kid: 'k1', privateKey: keys.privateKey }),
      verificationKey: async (kid: string) => {
        lookups.push(kid);
        if (failing) throw new Error('connection refused');
        return kid === 'k1' ? keys.publicKey : undefined;
      },
    } as unknown as SigningKeyStore;
    tokens = new AccessTokens(store, config);
  });

  it('issues a token that verifies back to its subject', async () => {
    lookups = [];
    failing = false;
    const { accessToken, expiresIn } = await tokens.issue(subject);
    expect(expiresIn).toBe(60);
    const verified = await tokens.verify(accessToken);
    expect(verified).toMatchObject(subject);
    expect(verified.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(lookups).toEqual(['k1']);
  });

  it('rejects before any key lookup when the algorithm is not EdDSA', async () => {
    lookups = [];
    const hs = await new SignJWT({ tid: subject.tenantId })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .sign(new Uint8Array(32));
    await expect(tokens.verify(hs)).rejects.toMatchObject({ code: 'invalid_access_token' });
    await expect(tokens.verify('a.b.c')).rejects.toMatchObject({ code: 'invalid_access_token' });
    await expect(tokens.verify(`${'a'.repeat(5000)}.b.c`)).rejects.toMatchObject({ code: 'invalid_access_token' });
    expect(lookups).toEqual([]);
  });

  it('lets a key-store outage surface as an error, not as a bad token', async () => {
    const { accessToken } = await tokens.issue(subject);
    failing = true;
    await expect(tokens.verify(accessToken)).rejects.toThrow('connection refused');
    failing = false;
  });
});
