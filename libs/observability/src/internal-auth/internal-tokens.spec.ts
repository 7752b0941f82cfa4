import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { InternalPrincipalClaims } from '@parley/contracts';
import { InternalTokens } from './internal-tokens';

const secret = randomBytes(32);
const tokens = new InternalTokens(secret, 'gateway');
const claims: InternalPrincipalClaims = {
  tid: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  knd: 'user',
  uid: '1b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  sid: 'session-1',
  role: 'member',
  plan: 'pro',
  rid: 'req-1',
};

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );

describe('InternalTokens', () => {
  it('verifies the principal it signed, claims intact', async () => {
    expect(await tokens.verifyPrincipal(await tokens.signPrincipal(claims))).toMatchObject(claims);
  });

  it.each([
    ['nothing', undefined],
    ['garbage', 'a.b.c'],
    ['an oversized token', 'x'.repeat(5000)],
  ])('refuses %s as invalid_principal', async (_, token) => {
    expect(await code(tokens.verifyPrincipal(token))).toBe('invalid_principal');
  });

  it('refuses a principal signed under another secret, and an altered one', async () => {
    const foreign = await new InternalTokens(randomBytes(32), 'gateway').signPrincipal(claims);
    expect(await code(tokens.verifyPrincipal(foreign))).toBe('invalid_principal');
    const [head, , signature] = (await tokens.signPrincipal(claims)).split('.');
    const body = Buffer.from(JSON.stringify({ ...claims, role: 'owner' })).toString('base64url');
    expect(await code(tokens.verifyPrincipal(`${head}.${body}.${signature}`))).toBe('invalid_principal');
  });

  it('refuses an expired principal and one older than its 60 s life', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = (iat: number, exp: number) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('parley-gateway')
        .setAudience('parley-internal-principal')
        .setSubject('x')
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(secret);
    expect(await code(tokens.verifyPrincipal(await old(now - 120, now - 60)))).toBe('invalid_principal');
    expect(await code(tokens.verifyPrincipal(await old(now - 3600, now + 3600)))).toBe('invalid_principal');
  });

  it('accepts a principal signed by jose with the same key (interoperable compact JWS)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('parley-gateway')
      .setAudience(['other', 'parley-internal-principal'])
      .setSubject('x')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret);
    expect(await tokens.verifyPrincipal(token)).toMatchObject(claims);
  });

  it('refuses another algorithm, an unsigned token, a future nbf or iat, a foreign issuer', async () => {
    const now = Math.floor(Date.now() / 1000);
    const build = (header: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
      new SignJWT({ ...claims, ...overrides })
        .setProtectedHeader(header as { alg: string })
        .setIssuer('parley-gateway')
        .setAudience('parley-internal-principal')
        .setSubject('x')
        .setIssuedAt((overrides.iat as number | undefined) ?? now)
        .setExpirationTime(now + 60)
        .sign(secret);
    expect(await code(tokens.verifyPrincipal(await build({ alg: 'HS512' })))).toBe('invalid_principal');
    expect(await code(tokens.verifyPrincipal(await build({ alg: 'HS256' }, { nbf: now + 60 })))).toBe(
      'invalid_principal',
    );
    expect(await code(tokens.verifyPrincipal(await build({ alg: 'HS256' }, { iat: now + 60 })))).toBe(
      'invalid_principal',
    );
    const [, body] = (await tokens.signPrincipal(claims)).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(await code(tokens.verifyPrincipal(`${none}.${body}.`))).toBe('invalid_principal');
    const foreignIssuer = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else')
      .setAudience('parley-internal-principal')
      .setSubject('x')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret);
    expect(await code(tokens.verifyPrincipal(foreignIssuer))).toBe('invalid_principal');
  });

  it('keeps the principal and the service credential apart (audiences)', async () => {
    const service = await tokens.serviceCredential();
    expect(await tokens.verifyServiceCredential(service)).toBe('gateway');
    expect(await code(tokens.verifyPrincipal(service))).toBe('invalid_principal');
    expect(await code(tokens.verifyServiceCredential(await tokens.signPrincipal(claims)))).toBe(
      'invalid_service_credential',
    );
    expect(await code(tokens.verifyServiceCredential(undefined))).toBe('invalid_service_credential');
  });

  it('refuses claims that do not name a principal (a user without its id)', async () => {
    const { uid: _uid, ...anonymousUser } = claims;
    expect(await code(tokens.verifyPrincipal(await tokens.signPrincipal(anonymousUser)))).toBe('invalid_principal');
  });
});
