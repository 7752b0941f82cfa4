import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../access-tokens/access-tokens';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { KeyEncryption } from './key-encryption';
import { SigningKeyStore } from './signing-key-store';
import { EnsureSigningKeyUseCase } from './usecases/ensure-signing-key/ensure-signing-key.usecase';

type SigningKey = Parameters<SignJWT['sign']>[0];

const KEK = randomBytes(32);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('auth signing keys: encryption at rest, token attacks, rotation', () => {
  let stack: AuthStack;
  let owner: Session;
  let store: SigningKeyStore;
  let tokens: AccessTokens;
  let signer: { kid: string; privateKey: CryptoKey };

  /** Claims of a real session, so a forged token differs from a valid one only where the test says. */
  const realClaims = (): JWTPayload => {
    const { tid, role, sid, plan, sub } = decodeJwt(owner.accessToken);
    return { tid, role, sid, plan, sub, iss: 'parley', aud: 'parley-api', iat: now(), nbf: now(), exp: now() + 600 };
  };
  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}, key: SigningKey = signer.privateKey) =>
    new SignJWT({ jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'at+jwt', ...header })
      .sign(key);
  const me = (token: string, base?: string) => stack.request('GET', '/auth/me', undefined, token, base);
  const jwks = async (base = stack.base) =>
    (await stack.request('GET', '/.well-known/jwks.json', undefined, undefined, base)).body;

  beforeAll(async () => {
    stack = await AuthStack.start({ AUTH_KEY_ENCRYPTION_KEY: KEK.toString('base64') });
    owner = await stack.signUp();
    store = stack.app.get(SigningKeyStore);
    tokens = stack.app.get(AccessTokens);
    signer = await store.signer();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('stores private keys only encrypted under AUTH_KEY_ENCRYPTION_KEY, and publishes public keys only', async () => {
    const { rows } = await stack.pg.query(
      `SELECT kid, alg, public_jwk, private_key_pkcs8_enc, row_to_json(k)::text AS dump FROM auth.signing_keys k`,
    );
    expect(rows).toHaveLength(1);
    const row = rows[0];
    const der = new KeyEncryption(KEK).decrypt(row.private_key_pkcs8_enc, row.kid);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(privateKey).export({ format: 'jwk' }).x).toBe(row.public_jwk.x);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const seed = der.subarray(der.length - 32);
    const stored: Buffer = row.private_key_pkcs8_enc;
    expect(stored.includes(der)).toBe(false);
    expect(stored.includes(seed)).toBe(false);
    expect(row.dump).not.toContain(der.toString('base64'));
    expect(row.dump).not.toContain(der.toString('hex'));
    expect(row.dump).not.toContain(pem.split('\n')[1]);
    expect(row.dump).not.toContain(seed.toString('base64url'));
    expect(() => new KeyEncryption(randomBytes(32)).decrypt(stored, row.kid)).toThrow();

    expect(row).toMatchObject({ kid: signer.kid, alg: 'EdDSA' });
    expect(await jwks()).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: row.public_jwk.x, kid: signer.kid, alg: 'EdDSA', use: 'sig' }],
    });
    const res = await fetch(`${stack.base}/.well-known/jwks.json`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('accepts a correctly signed token (the forging helper is sound)', async () => {
    const token = await sign(realClaims());
    expect((await me(token)).status).toBe(200);
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: owner.user.id, tenantId: owner.tenant.id });
  });

  const attacker = generateKeyPairSync('ed25519');
  const attacks: [string, () => Promise<string>, string][] = [
    [
      'alg none',
      async () => `${b64url({ alg: 'none', typ: 'at+jwt', kid: signer.kid })}.${b64url(realClaims())}.`,
      'invalid_access_token',
    ],
    [
      'HS256 keyed with the raw public key',
      async () => sign(realClaims(), { alg: 'HS256' }, Buffer.from((await jwks()).keys[0].x, 'base64url')),
      'invalid_access_token',
    ],
    [
      'HS256 keyed with the public JWK as published',
      async () => sign(realClaims(), { alg: 'HS256' }, Buffer.from(JSON.stringify((await jwks()).keys[0]))),
      'invalid_access_token',
    ],
    [
      'HS256 keyed with the public key PEM',
      async () => {
        const pem = createPublicKey({ key: (await jwks()).keys[0], format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        return sign(realClaims(), { alg: 'HS256' }, Buffer.from(pem));
      },
      'invalid_access_token',
    ],
    [
      'expired',
      () => sign({ ...realClaims(), iat: now() - 1000, nbf: now() - 1000, exp: now() - 10 }),
      'access_token_expired',
    ],
    ['not yet valid', () => sign({ ...realClaims(), nbf: now() + 600, exp: now() + 1200 }), 'invalid_access_token'],
    [
      'a tampered payload (another tenant)',
      async () => {
        const [header, , signature] = owner.accessToken.split('.');
        return `${header}.${b64url({ ...decodeJwt(owner.accessToken), tid: randomUUID() })}.${signature}`;
      },
      'invalid_access_token',
    ],
    ['another issuer', () => sign({ ...realClaims(), iss: 'https://evil.example' }), 'invalid_access_token'],
    ['another audience', () => sign({ ...realClaims(), aud: 'other-api' }), 'invalid_access_token'],
    [
      'an unknown kid (attacker key)',
      () => sign(realClaims(), { kid: 'attacker-key' }, attacker.privateKey),
      'invalid_access_token',
    ],
    ['the real kid with an attacker key', () => sign(realClaims(), {}, attacker.privateKey), 'invalid_access_token'],
    [
      'an embedded attacker jwk',
      async () => {
        const jwk = await exportJWK(attacker.publicKey);
        const kid = await calculateJwkThumbprint(jwk);
        return sign(realClaims(), { kid, jwk }, attacker.privateKey);
      },
      'invalid_access_token',
    ],
    ['no kid', () => sign(realClaims(), { kid: undefined }), 'invalid_access_token'],
    ['typ JWT (not an access token)', () => sign(realClaims(), { typ: 'JWT' }), 'invalid_access_token'],
    [
      'a missing session claim',
      () => {
        const { sid: _sid, ...claims } = realClaims();
        return sign(claims);
      },
      'invalid_access_token',
    ],
    ['a role that does not exist', () => sign({ ...realClaims(), role: 'superuser' }), 'invalid_access_token'],
  ];

  it.each(attacks)('rejects a token with %s', async (_, forge, code) => {
    const token = await forge();
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(code);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code });
  });

  describe('rotation', () => {
    let replica: string;
    let before: string;
    let oldKid: string;
    let newKid: string;

    beforeAll(async () => {
      replica = await stack.replica();
      before = owner.accessToken;
      oldKid = decodeProtectedHeader(before).kid ?? '';
      expect((await me(before, replica)).status).toBe(200); // the replica has loaded the current key
    });

    it('makes a new key active while tokens of the old one keep verifying', async () => {
      const rotated = await stack.post('/internal/signing-keys/rotate', {});
      expect(rotated.status).toBe(201);
      expect(rotated.body).toEqual({ kid: expect.any(String), retiredKid: oldKid });
      newKid = rotated.body.kid;
      expect(newKid).not.toBe(oldKid);

      expect((await jwks()).keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
      expect((await me(before)).status).toBe(200);
      const next = await stack.post('/auth/refresh', { refreshToken: owner.refreshToken });
      expect(next.status).toBe(200);
      expect(decodeProtectedHeader(next.body.accessToken).kid).toBe(newKid);
      expect((await me(next.body.accessToken)).status).toBe(200);
      owner = { ...owner, ...next.body };
    });

    it('reaches the other replica at once: it verifies new-key tokens and publishes both keys', async () => {
      expect((await me(owner.accessToken, replica)).status).toBe(200);
      expect((await me(before, replica)).status).toBe(200);
      expect((await jwks(replica)).keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
    });

    it('drops the retired key once every token it signed has expired', async () => {
      await stack.pg.query(`UPDATE auth.signing_keys SET retired_at = now() - interval '901 seconds' WHERE kid = $1`, [
        oldKid,
      ]);
      store.invalidate();
      expect((await jwks()).keys.map((k: { kid: string }) => k.kid)).toEqual([newKid]);
      const res = await me(before);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_access_token');
      expect((await me(owner.accessToken)).status).toBe(200);
    });

    it('creates exactly one key when replicas without one start together', async () => {
      await stack.pg.query(`DELETE FROM auth.signing_keys`);
      store.invalidate();
      const ensure = stack.app.get(EnsureSigningKeyUseCase);
      const results = await Promise.all(Array.from({ length: 5 }, () => ensure.execute()));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.kid)).size).toBe(1);
      const { rows } = await stack.pg.query(
        `SELECT kid FROM auth.signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL`,
      );
      expect(rows).toEqual([{ kid: results[0]?.kid }]);
      const signedIn = await stack.post('/auth/sign-in', {
        email: owner.user.email,
        password: 'correct horse battery staple',
      });
      expect(decodeProtectedHeader(signedIn.body.accessToken).kid).toBe(results[0]?.kid);
      expect((await me(signedIn.body.accessToken)).status).toBe(200);
    });
  });
});
