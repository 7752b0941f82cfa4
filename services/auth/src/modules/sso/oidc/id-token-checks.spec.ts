import {
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type GenerateKeyPairResult,
  type JWTPayload,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoginTrace, SsoRejection } from '../login-trace';
import { verifyIdToken, type IdTokenExpectations } from './id-token-checks';

const ISSUER = 'https://idp.example.com/realms/acme';
const CLIENT = 'parley';
const NONCE = 'nonce-of-this-login';

describe('verifyIdToken: every id_token check refuses with its reason', () => {
  let rsa: GenerateKeyPairResult;
  let ec: GenerateKeyPairResult;
  let stranger: GenerateKeyPairResult;
  let keys: () => Promise<ReturnType<typeof createLocalJWKSet>>;
  const expected: IdTokenExpectations = {
    issuer: ISSUER,
    clientId: CLIENT,
    nonce: NONCE,
    algorithms: ['RS256', 'ES256'],
  };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' },
      ],
    };
    const set = createLocalJWKSet(jwks);
    keys = () => Promise.resolve(set);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: JWTPayload = {}, alg = 'RS256', kid = 'rsa', key?: GenerateKeyPairResult['privateKey']) =>
    new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 'user-1', nonce: NONCE, iat: now(), exp: now() + 300, ...claims })
      .setProtectedHeader({ alg, kid })
      .sign(key ?? (alg === 'ES256' ? ec.privateKey : rsa.privateKey));
  const reasonOf = async (jwt: string, options: Partial<IdTokenExpectations> = {}) => {
    const refused = verifyIdToken(jwt, keys, { ...expected, ...options }, new LoginTrace());
    await expect(refused).rejects.toBeInstanceOf(SsoRejection);
    return refused.catch((error: SsoRejection) => error.reason);
  };

  it('accepts a good token signed RS256 or ES256, and several audiences when azp is ours', async () => {
    const trace = new LoginTrace();
    await expect(verifyIdToken(await token(), keys, expected, trace)).resolves.toMatchObject({ sub: 'user-1' });
    await expect(verifyIdToken(await token({}, 'ES256', 'ec'), keys, expected, trace)).resolves.toMatchObject({
      sub: 'user-1',
    });
    const several = await token({ aud: [CLIENT, 'other-api'], azp: CLIENT });
    await expect(verifyIdToken(several, keys, expected, trace)).resolves.toMatchObject({ azp: CLIENT });
    // Within the 60 s skew: expired 30 s ago, issued 30 s ahead.
    await expect(
      verifyIdToken(await token({ exp: now() - 30, iat: now() + 30 }), keys, expected, trace),
    ).resolves.toBeTruthy();
  });

  it('refuses an algorithm the connection does not allow, and a token signed with none or HS256', async () => {
    expect(await reasonOf(await token(), { algorithms: ['ES256'] })).toBe('algorithm_not_allowed');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: 'x', nonce: NONCE, iat: now(), exp: now() + 60 }),
    ).toString('base64url')}.`;
    expect(await reasonOf(unsigned)).toBe('algorithm_not_allowed');
    const hs = await new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 'x', nonce: NONCE })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('the-client-secret-used-as-an-hmac-key'));
    expect(await reasonOf(hs)).toBe('algorithm_not_allowed');
  });

  it('refuses a wrong audience, a wrong issuer, a foreign azp, a nonce of another login', async () => {
    expect(await reasonOf(await token({ aud: 'another-client' }))).toBe('audience_mismatch');
    expect(await reasonOf(await token({ iss: 'https://evil.example.com' }))).toBe('issuer_mismatch');
    expect(await reasonOf(await token({ aud: [CLIENT, 'other-api'] }))).toBe('azp_mismatch');
    expect(await reasonOf(await token({ aud: [CLIENT, 'other-api'], azp: 'other-api' }))).toBe('azp_mismatch');
    expect(await reasonOf(await token({ nonce: 'another-login' }))).toBe('nonce_mismatch');
    expect(await reasonOf(await token({ nonce: undefined }))).toBe('nonce_mismatch');
  });

  it('refuses a token expired beyond the skew, issued in the future beyond it, or signed by another key', async () => {
    expect(await reasonOf(await token({ exp: now() - 61 }))).toBe('token_expired');
    expect(await reasonOf(await token({ iat: now() + 120 }))).toBe('assertion_not_yet_valid');
    expect(await reasonOf(await token({}, 'RS256', 'rsa', stranger.privateKey))).toBe('signature_invalid');
    expect(await reasonOf('not.a.jwt')).toBe('response_malformed');
  });
});
